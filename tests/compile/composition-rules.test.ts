import { beforeAll, describe, expect, it } from '@jest/globals';
import type { CompileResult } from '../../reconciler/compile/types.js';
import type { InventorySnapshot } from '../../reconciler/inventory/snapshot.js';
import type { DesiredState } from '../../reconciler/manifests/desired-state.js';
import { diffCompiles } from '../support/enc-diff.js';
import { buildExampleSnapshot, compileExample, EXAMPLE_MACHINES, loadExampleDesired, type ExampleMachine } from '../support/example-inventory.js';

const CONTROLLERS = ['pub1-controller-1.pub1.example.net', 'pub1-controller-2.pub1.example.net', 'pub1-controller-3.pub1.example.net'];
const machinesWithout = (prefix: string): ExampleMachine[] => EXAMPLE_MACHINES.filter((machine) => !machine.serial.startsWith(prefix));

/** The cluster before a change, then after it, with the allocations the first compile made kept (as a controller does). */
function compileChange(desired: DesiredState, before: InventorySnapshot, after: InventorySnapshot): { before: CompileResult; after: CompileResult; changes: Map<string, string[]> } {
  const first = compileExample(desired, before);
  const second = compileExample(desired, { ...after, allocations: first.allocations, hostnames: first.hostnames, hostnameHighWater: first.hostnameHighWater });
  return { before: first, after: second, changes: diffCompiles(first, second) };
}

const controllerParameter = (result: CompileResult, name: string): unknown =>
  result.targets.find((target) => target.role === 'controller')?.enc.classes['plinth::role::controller']?.[name];

describe("OCI's composition rules, seen as changes to other machines' ENCs", () => {
  let desired: DesiredState;

  beforeAll(async () => {
    desired = await loadExampleDesired();
  });

  it('adding the first messaging node moves notifications and telemetry off the controllers', () => {
    const { after, changes } = compileChange(desired, buildExampleSnapshot(machinesWithout('MSG')), buildExampleSnapshot());

    const expected = new Map<string, string[]>();
    for (const host of CONTROLLERS) {
      expected.set(host, ['classes.plinth::role::controller.notification_hosts', 'classes.plinth::role::controller.telemetry', 'parameters.plinth_topology.messaging']);
    }
    for (const host of ['pub1-compute-10', 'pub1-compute-11', 'pub1-compute-12', 'pub1-compute-7']) {
      expected.set(`${host}.pub1.example.net`, ['classes.plinth::role::compute.notification_hosts', 'parameters.plinth_topology.messaging']);
    }
    expected.set('pub1-network-1.pub1.example.net', ['classes.plinth::role::network.notification_hosts', 'parameters.plinth_topology.messaging']);
    for (const host of ['cephmon-1', 'cephmon-2', 'cephmon-3', 'cephosd-1', 'cephosd-2', 'swiftproxy-1', 'swiftstore-1']) {
      expected.set(`pub1-${host}.pub1.example.net`, ['parameters.plinth_topology.messaging']);
    }
    expect(new Map([...changes].sort())).toEqual(new Map([...expected].sort()));
    expect(controllerParameter(after, 'telemetry')).toBe(false);
    expect(controllerParameter(after, 'notification_hosts')).toEqual(['pub1-messaging-1.pub1.example.net']);
  });

  it('adding the first Ceph OSD node makes Ceph back Nova, Glance and Cinder, and runs cinder-volume on computes', () => {
    const firstOsd = EXAMPLE_MACHINES.filter((machine) => machine.serial !== 'OSD0002');
    const { before, after, changes } = compileChange(desired, buildExampleSnapshot(machinesWithout('OSD')), buildExampleSnapshot(firstOsd));

    const expected = new Map<string, string[]>();
    for (const host of CONTROLLERS) expected.set(host, ['classes.plinth::role::controller.ceph_backend', 'classes.plinth::role::controller.glance_backend']);
    for (const host of ['pub1-compute-10', 'pub1-compute-11', 'pub1-compute-12', 'pub1-compute-7']) {
      expected.set(`${host}.pub1.example.net`, ['classes.plinth::role::compute.ceph_backend', 'classes.plinth::role::compute.cinder_volume']);
    }
    expect(new Map([...changes].sort())).toEqual(new Map([...expected].sort()));
    // Glance's preference is `auto`: Swift (the linked cluster) before, Ceph once it exists; mons stay on cephmon nodes.
    expect([controllerParameter(before, 'glance_backend'), controllerParameter(after, 'glance_backend')]).toEqual(['swift', 'ceph']);
    expect(controllerParameter(after, 'ceph_mon')).toBe(false);
  });

  it('makes the controllers the Ceph monitors when OSDs exist without cephmon nodes', () => {
    const noMons = machinesWithout('MON');
    const { after, changes } = compileChange(desired, buildExampleSnapshot(noMons.filter((machine) => !machine.serial.startsWith('OSD'))), buildExampleSnapshot(noMons));

    expect(changes.get(CONTROLLERS[0] ?? '')).toEqual([
      'classes.plinth::role::controller.ceph_backend',
      'classes.plinth::role::controller.ceph_mon',
      'classes.plinth::role::controller.ceph_mon_hosts',
      'classes.plinth::role::controller.glance_backend',
    ]);
    expect(controllerParameter(after, 'ceph_mon_hosts')).toEqual(CONTROLLERS);
    const osd = after.targets.find((target) => target.role === 'cephosd');
    expect(osd?.enc.classes['plinth::role::cephosd']?.ceph_mon_hosts).toEqual(CONTROLLERS);
  });

  it('a GPU model on a compute: whitelist, aliases and nouveau blacklist there, aliases and PCI filter on controllers, a reboot', () => {
    const base = buildExampleSnapshot(machinesWithout('GPU'));
    const a100 = buildExampleSnapshot().nodes.find((node) => node.id === 'GPU0001')?.inventory.gpus[0];
    if (!a100) throw new Error('the G242 dump carries an A100');
    // The same machine, after an A100 was fitted to it.
    const fitted = { ...base, nodes: base.nodes.map((node) => (node.id === 'CMP0001' ? { ...node, inventory: { ...node.inventory, gpus: [a100], pciDevices: [...node.inventory.pciDevices, a100] } } : node)) };

    const { before, after, changes } = compileChange(desired, base, fitted);

    const alias = '{"device_type":"type-PCI","name":"a100","product_id":"20b5","vendor_id":"10de"}';
    const compute = after.targets.find((target) => target.nodeId === 'CMP0001');
    expect(changes.get(compute?.hostname ?? '')).toEqual([
      'classes.plinth::role::compute.blacklist_nouveau',
      'classes.plinth::role::compute.gpu_passthrough',
      'classes.plinth::role::compute.pci_aliases',
      'classes.plinth::role::compute.pci_passthrough_whitelist',
      'parameters.plinth_reboot_required',
    ]);
    expect(compute?.enc.classes['plinth::role::compute']).toMatchObject({ pci_aliases: [alias], pci_passthrough_whitelist: ['{"product_id":"20b5","vendor_id":"10de"}'], blacklist_nouveau: true });
    expect(compute?.rebootRequired).toBe(true);
    for (const host of CONTROLLERS) expect(changes.get(host)).toEqual(['classes.plinth::role::controller.pci_aliases', 'classes.plinth::role::controller.scheduler_filters']);
    expect(controllerParameter(before, 'scheduler_filters')).not.toContain('PciPassthroughFilter');
    expect(controllerParameter(after, 'scheduler_filters')).toContain('PciPassthroughFilter');
    expect(controllerParameter(after, 'pci_aliases')).toEqual([alias]);
    expect([...changes.keys()].sort()).toEqual([...CONTROLLERS, compute?.hostname].sort());
  });

  it('without network nodes the controllers route and SNAT, and the computes serve DHCP', () => {
    const { after, changes } = compileChange(desired, buildExampleSnapshot(), buildExampleSnapshot(machinesWithout('NET')));

    expect(controllerParameter(after, 'l3_agent')).toBe(true);
    expect(controllerParameter(after, 'snat')).toBe(true);
    expect(after.targets.filter((target) => target.role === 'compute').map((target) => target.enc.classes['plinth::role::compute']?.dhcp_agent)).toEqual([true, true, true, true]);
    expect(changes.get(CONTROLLERS[0] ?? '')).toEqual(['classes.plinth::role::controller.l3_agent', 'classes.plinth::role::controller.snat']);
  });
});
