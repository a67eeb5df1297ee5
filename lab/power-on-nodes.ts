import { createIpmitoolDriver } from '../reconciler/drivers/bmc/ipmitool/index.js';
import type { LabConfig, LabNode } from './lab-config.js';
import { createNamespaceRunner } from './provisioning-network.js';
import { LAB_CIPHER_SUITE } from './simulated-bmc.js';

/**
 * Sets each node to PXE and powers it on through plinth's BMC driver with the lab's real BMC password, as an
 * operator racking new machines would: the controller acts on a machine once it has reported, and it reports
 * once it boots. Returns the time of each power-on (ms since the epoch) by node name.
 */
export async function powerOnNodes(config: LabConfig, password: string, nodes: readonly LabNode[] = config.nodes): Promise<Record<string, number>> {
  const bmc = createIpmitoolDriver({ runCommand: createNamespaceRunner(config.namespace), cipherSuite: LAB_CIPHER_SUITE });
  const poweredOn: Record<string, number> = {};
  try {
    for (const node of nodes) {
      const target = { address: `ipmi://${node.bmcAddress}:${String(config.bmcPort)}`, credentials: { username: config.bmcUser, password } };
      await bmc.ensureBootDevice(target, 'pxe', { persistent: false, efi: false });
      poweredOn[node.name] = Date.now();
      await bmc.ensurePower(target, 'on');
    }
  } finally {
    await bmc.close?.();
  }
  return poweredOn;
}
