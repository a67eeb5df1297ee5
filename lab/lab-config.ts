import { join } from 'node:path';

/**
 * The lab's shape: one provisioning network inside a network namespace, and the virtual nodes on it, each
 * with its own simulated BMC on a loopback address of that namespace (where the controller also runs). `lab/cluster/nodes/*.yaml` pins the same
 * MACs, serials and BMC addresses.
 */

export type Firmware = 'bios' | 'uefi';

export interface LabNode {
  name: string;
  /** The VM's NIC on the provisioning bridge. */
  mac: string;
  /** SMBIOS system serial (`-smbios type=1,serial=`): the identity plinth derives from the report. */
  serial: string;
  firmware: Firmware;
  memoryMiB: number;
  diskGiB: number;
  /** The disk's size in MiB instead of `diskGiB`: a disk smaller than the golden image (the lab's too-small-disk fault). */
  diskMiB?: number;
  /** Loopback address of the node's BMC inside the lab namespace (any 127.x.y.z works without setup); port 623. */
  bmcAddress: string;
  /**
   * A fault the node stages: its Node manifest names a BMC password the BMC rejects, or its disk is smaller
   * than the golden image. Either way plinth must fail that node, with the reason, and finish the others.
   */
  fault?: 'wrong-bmc-password' | 'small-disk';
}

export interface LabConfig {
  /** Network namespace name; also prefixes everything else the lab creates. */
  namespace: string;
  /** Folder for the lab's run-time files (configs, logs, disks, the state file). */
  dir: string;
  bridge: string;
  /** Server address with prefix on the bridge, e.g. `10.250.0.1/24`. */
  serverCidr: string;
  /** An IPv6 prefix on the bridge, so dnsmasq sends router advertisements (iPXE waits 13 s without them). */
  serverCidr6: string;
  apiPort: number;
  bmcPort: number;
  bmcUser: string;
  nodes: LabNode[];
}

export const LAB_NETWORK = '10.250.0.0/24';
export const LAB_SERVER_ADDRESS = '10.250.0.1';

/** The lab's nodes: 1 controller, 2 computes, 1 Ceph OSD; one compute boots UEFI (OVMF), the rest BIOS. */
export const LAB_NODES: readonly LabNode[] = [
  { name: 'lab-ctl-1', mac: '52:54:00:25:00:11', serial: 'PLINTH-LAB-0001', firmware: 'bios', memoryMiB: 512, diskGiB: 8, bmcAddress: '127.25.0.11' },
  { name: 'lab-cmp-1', mac: '52:54:00:25:00:12', serial: 'PLINTH-LAB-0002', firmware: 'uefi', memoryMiB: 512, diskGiB: 8, bmcAddress: '127.25.0.12' },
  { name: 'lab-cmp-2', mac: '52:54:00:25:00:13', serial: 'PLINTH-LAB-0003', firmware: 'bios', memoryMiB: 512, diskGiB: 8, bmcAddress: '127.25.0.13' },
  { name: 'lab-osd-1', mac: '52:54:00:25:00:14', serial: 'PLINTH-LAB-0004', firmware: 'bios', memoryMiB: 512, diskGiB: 8, bmcAddress: '127.25.0.14' },
];

/**
 * Two more computes for the fault scenarios (`npm run lab -- --faults`, and the end-to-end test). They are
 * computes so that they install in the last wave: a failed node stops only the waves after its own.
 */
export const LAB_FAULT_NODES: readonly LabNode[] = [
  { name: 'lab-cmp-3', mac: '52:54:00:25:00:15', serial: 'PLINTH-LAB-0005', firmware: 'bios', memoryMiB: 512, diskGiB: 8, bmcAddress: '127.25.0.15', fault: 'wrong-bmc-password' },
  { name: 'lab-cmp-4', mac: '52:54:00:25:00:16', serial: 'PLINTH-LAB-0006', firmware: 'bios', memoryMiB: 512, diskGiB: 8, diskMiB: 32, bmcAddress: '127.25.0.16', fault: 'small-disk' },
];

/**
 * The golden image's disk size in the lab: small, but above what its FAT32 partition needs (about 33 MiB), because every
 * node's deploy system streams, writes and checksums all of it under emulation (the image push is the longest
 * step of an install). The small-disk fault node's disk (32 MiB) is below it.
 */
export const LAB_IMAGE_DISK_MIB = 40;

/** The environment variable the Node manifest of the wrong-BMC-password node names; the lab sets it to a password no BMC has. */
export const LAB_WRONG_BMC_PASSWORD_ENV = 'PLINTH_LAB_FAULT_BMC_PASSWORD';

/** The default lab (`npm run lab`), its files under `<repo>/.lab/run`. */
export function buildLabConfig(repoDir: string, overrides: Partial<LabConfig> = {}): LabConfig {
  return {
    namespace: 'plinth-lab',
    dir: join(repoDir, '.lab', 'run'),
    bridge: 'br0',
    serverCidr: `${LAB_SERVER_ADDRESS}/24`,
    serverCidr6: 'fd00:250::1/64',
    apiPort: 8080,
    bmcPort: 623,
    bmcUser: 'admin',
    nodes: [...LAB_NODES],
    ...overrides,
  };
}

/** The tap interface of a node's VM, inside the namespace (at most 15 characters). */
export function tapName(index: number): string {
  return `tap${index}`;
}

export function controllerUrl(config: LabConfig): string {
  return `http://${config.serverCidr.split('/')[0] ?? LAB_SERVER_ADDRESS}:${config.apiPort}`;
}
