import { join } from 'node:path';
import { compile } from '../../reconciler/compile/compile.js';
import type { CompileResult } from '../../reconciler/compile/types.js';
import { normaliseReport } from '../../reconciler/discovery/normalise.js';
import { buildSnapshot } from '../../reconciler/inventory/build-snapshot.js';
import type { Classification } from '../../reconciler/inventory/classification.js';
import { classifyNodes } from '../../reconciler/inventory/classify-nodes.js';
import type { InventorySnapshot } from '../../reconciler/inventory/snapshot.js';
import type { Inventory } from '../../reconciler/inventory/types.js';
import type { DesiredState } from '../../reconciler/manifests/desired-state.js';
import { validateRepository } from '../../reconciler/manifests/validate-repository.js';
import { buildHardwareReport, macsFor } from './hardware-report.js';

/**
 * The machines of `cluster-repo-example/`, built from real server dumps (tests/fixtures/hardware) with the
 * facts those dumps lack (disks, NIC speeds, LLDP neighbours) filled in as the example's profiles and
 * Locations expect. Every role of the example has at least one machine.
 */
export interface ExampleMachine {
  serial: string;
  fixture: string;
  /** LLDP system name of the top-of-rack switch the first NIC is cabled to. */
  switchName: string;
  disks?: { count: number; type: 'hdd' | 'ssd' | 'nvme'; sizeGB: number };
  nics?: number;
  /** Overrides the first MAC (for machines pinned by MAC). */
  mac?: string;
  /** A storage controller the dump has no lspci for, as `lspci -nn` would describe it. */
  storageController?: string;
}

const GB = 1_000_000_000;
const HBA330 = 'Broadcom / LSI SAS3008 PCI-Express Fusion-MPT SAS-3 [Dell HBA330 Mini]';

export const EXAMPLE_MACHINES: readonly ExampleMachine[] = [
  { serial: '7XQK2M3', fixture: 'dell/poweredge-r650/AF241F438036', switchName: 'par1-a01-tor1', disks: { count: 2, type: 'ssd', sizeGB: 480 } },
  { serial: '7XQK2M4', fixture: 'dell/poweredge-r650/AF241F438036', switchName: 'par1-a02-tor1', disks: { count: 2, type: 'ssd', sizeGB: 480 } },
  { serial: '7XQK2M5', fixture: 'dell/poweredge-r650/AF241F438036', switchName: 'par1-b01-tor1', disks: { count: 2, type: 'ssd', sizeGB: 480 } },
  { serial: 'NET0001', fixture: 'dell/poweredge-r640/953E314D7CA9', switchName: 'par1-a01-tor1', nics: 4 },
  { serial: 'MSG0001', fixture: 'hpe/proliant-dl360-gen10-plus/6004A3CDB655', switchName: 'par1-a02-tor1' },
  { serial: 'MON0001', fixture: 'dell/poweredge-r6515/647C815644AA', switchName: 'par1-a01-tor1' },
  { serial: 'MON0002', fixture: 'dell/poweredge-r6515/647C815644AA', switchName: 'par1-a02-tor1' },
  { serial: 'MON0003', fixture: 'dell/poweredge-r6515/647C815644AA', switchName: 'par1-b02-tor1' },
  { serial: 'OSD0001', fixture: 'dell/poweredge-r740xd/62F4A9812E0F', switchName: 'par1-a01-tor1', disks: { count: 12, type: 'hdd', sizeGB: 8000 }, storageController: HBA330 },
  { serial: 'OSD0002', fixture: 'dell/poweredge-r740xd/62F4A9812E0F', switchName: 'par1-b01-tor1', disks: { count: 12, type: 'hdd', sizeGB: 8000 }, storageController: HBA330 },
  { serial: 'CMP0001', fixture: 'dell/poweredge-r7525/ED52A1D54F9D', switchName: 'par1-a01-tor1' },
  { serial: 'CMP0002', fixture: 'dell/poweredge-r7525/ED52A1D54F9D', switchName: 'par1-b02-tor2' },
  { serial: 'CN7016394F0B2A', fixture: 'dell/poweredge-r7525/ED52A1D54F9D', switchName: 'par1-a02-tor1' },
  { serial: 'GPU0001', fixture: 'gigabyte-technology/g242-z11-00/B5251D581093', switchName: 'par1-a02-tor1', disks: { count: 2, type: 'nvme', sizeGB: 1920 } },
  { serial: 'PRX0001', fixture: 'lenovo/thinksystem-sr630-v2/ECB5C724E79D', switchName: 'par1-a01-tor1' },
  { serial: 'STO0001', fixture: 'supermicro/sys-6029p-wtrt/35C50F3639E9', switchName: 'par1-b01-tor1', disks: { count: 12, type: 'hdd', sizeGB: 10000 } },
];

function fillDisks(machine: ExampleMachine): Inventory['disks'] {
  const { count, type, sizeGB } = machine.disks ?? { count: 2, type: 'ssd', sizeGB: 480 };
  return Array.from({ length: count }, (_, index) => {
    const name = type === 'nvme' ? `nvme${index}n1` : `sd${String.fromCharCode(97 + index)}`;
    return { name, path: `/dev/${name}`, sizeBytes: sizeGB * GB, rotational: type === 'hdd', type, model: `${type.toUpperCase()}-${sizeGB}`, serial: `${machine.serial}-D${index + 1}`, wwn: '' };
  });
}

function sasController(description: string): Inventory['pciDevices'][number] {
  return { address: '0000:3b:00.0', vendorId: '1000', deviceId: '0097', class: '0107', className: 'Serial Attached SCSI controller', description, driver: 'mpt3sas' };
}

/** The inventory the discovery agent's report of `machine` normalises to, plus the facts the dumps lack. */
export function buildExampleInventory(machine: ExampleMachine, index: number): Inventory {
  const macs = macsFor(index + 1, machine.nics ?? 2);
  if (machine.mac !== undefined) macs[0] = machine.mac;
  const { inventory } = normaliseReport(buildHardwareReport({ fixture: machine.fixture, serial: machine.serial, macs }));
  return {
    ...inventory,
    disks: fillDisks(machine),
    pciDevices: machine.storageController === undefined ? inventory.pciDevices : [...inventory.pciDevices, sasController(machine.storageController)],
    nics: inventory.nics.map((nic, port) => ({ ...nic, speedMbps: 25000, link: true, ...(port === 0 ? { lldp: { switchName: machine.switchName, portId: `Ethernet1/${index + 1}` } } : {}) })),
  };
}

/**
 * The example's inventory snapshot. The failed compute CN7016394F01C8, which CN7016394F0B2A replaces, left
 * its hostname and addresses behind; compute indices up to 9 were used before.
 */
/** The inventory of the example machine with `serial` (as `buildExampleInventory` at its place in the fleet). */
export function buildExampleInventoryOf(serial: string): Inventory {
  const index = EXAMPLE_MACHINES.findIndex((machine) => machine.serial === serial);
  if (index < 0) throw new Error(`no example machine has serial ${serial}`);
  return buildExampleInventory(EXAMPLE_MACHINES[index]!, index);
}

export function buildExampleSnapshot(machines: readonly ExampleMachine[] = EXAMPLE_MACHINES): InventorySnapshot {
  const snapshot = buildSnapshot(machines.map((machine, index) => ({ inventory: buildExampleInventory(machine, index) })), '2026-01-01T00:00:00Z');
  return {
    ...snapshot,
    allocations: [
      { network: 'management', address: '10.10.0.77', nodeId: 'CN7016394F01C8' },
      { network: 'provisioning', address: '10.30.0.77', nodeId: 'CN7016394F01C8' },
      { network: 'vxlan', address: '10.40.0.77', nodeId: 'CN7016394F01C8' },
    ],
    hostnames: [{ nodeId: 'CN7016394F01C8', role: 'compute', index: 7, hostname: 'pub1-compute-7.pub1.example.net' }],
    hostnameHighWater: { compute: 9 },
  };
}

/** The desired state of `cluster-repo-example/`, which must be valid. */
export async function loadExampleDesired(): Promise<DesiredState> {
  const { desired, problems } = await validateRepository(join(import.meta.dirname, '..', '..', 'cluster-repo-example'));
  if (!desired) throw new Error(`cluster-repo-example is invalid: ${problems.map((problem) => problem.message).join('; ')}`);
  return desired;
}

/** Classifies the snapshot's machines against `desired`, as the controller does, and compiles them. */
export function compileExample(desired: DesiredState, snapshot: InventorySnapshot): CompileResult & { classifications: Classification[] } {
  const classifications = classifyNodes(desired, snapshot.nodes);
  return { ...compile({ desired, classifications, snapshot }), classifications };
}
