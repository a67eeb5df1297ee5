import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompileResult, NodeTarget } from '../../reconciler/compile/types.js';
import type { InventorySnapshot } from '../../reconciler/inventory/snapshot.js';
import type { DesiredState } from '../../reconciler/manifests/desired-state.js';
import { buildExampleSnapshot, compileExample, EXAMPLE_MACHINES, loadExampleDesired } from '../support/example-inventory.js';

const goldenDirectory = join(import.meta.dirname, 'golden');

/** The snapshot a restarted controller would read back: same machines, the allocations compile made. */
function persist(snapshot: InventorySnapshot, result: CompileResult): InventorySnapshot {
  return { ...snapshot, allocations: result.allocations, hostnames: result.hostnames, hostnameHighWater: result.hostnameHighWater };
}

/** One machine per role (the first by identity), and the GPU compute apart. */
function goldenCases(targets: readonly NodeTarget[]): [string, NodeTarget][] {
  const cases = new Map<string, NodeTarget>();
  for (const target of targets) {
    const name = target.rebootRequired ? `${target.role}-gpu` : target.role;
    if (!cases.has(name)) cases.set(name, target);
  }
  return [...cases].sort(([a], [b]) => (a < b ? -1 : 1));
}

describe('compiling the example cluster', () => {
  let desired: DesiredState;
  let snapshot: InventorySnapshot;
  let result: CompileResult;

  beforeAll(async () => {
    desired = await loadExampleDesired();
    snapshot = buildExampleSnapshot();
    result = compileExample(desired, snapshot);
  });

  it('gives every machine of the example a target, without problems', () => {
    expect(result.problems).toEqual([]);
    expect(result.targets.map((target) => target.nodeId)).toEqual(EXAMPLE_MACHINES.map((machine) => machine.serial).sort());
  });

  it('renders each role as its reviewed golden ENC (UPDATE_GOLDEN=1 rewrites them)', async () => {
    const cases = goldenCases(result.targets);
    if (process.env.UPDATE_GOLDEN === '1') {
      await mkdir(goldenDirectory, { recursive: true });
      for (const [name, target] of cases) await writeFile(join(goldenDirectory, `${name}.yaml`), target.encYaml);
    }

    expect(cases.map(([name]) => name)).toEqual(['cephmon', 'cephosd', 'compute', 'compute-gpu', 'controller', 'messaging', 'network', 'swiftproxy', 'swiftstore']);
    for (const [name, target] of cases) {
      const file = join(goldenDirectory, `${name}.yaml`);
      expect(existsSync(file)).toBe(true);
      expect({ name, enc: target.encYaml }).toEqual({ name, enc: await readFile(file, 'utf8') });
    }
  });

  it('renders byte-identical ENCs from freshly built inputs', async () => {
    const again = compileExample(await loadExampleDesired(), buildExampleSnapshot());

    expect(again.targets.map((target) => target.encYaml)).toEqual(result.targets.map((target) => target.encYaml));
    expect(again.targets.map((target) => target.encDigest)).toEqual(result.targets.map((target) => target.encDigest));
  });

  it('keeps the same addresses, hostnames and ENCs after a restart from the stored allocations', () => {
    const restarted = compileExample(desired, persist(snapshot, result));

    expect(restarted.allocations).toEqual(result.allocations);
    expect(restarted.hostnames).toEqual(result.hostnames);
    expect(restarted.hostnameHighWater).toEqual(result.hostnameHighWater);
    expect(restarted.targets.map((target) => target.encDigest)).toEqual(result.targets.map((target) => target.encDigest));
  });

  it('lets a machine that sorts first arrive later without moving anyone else', () => {
    const newcomer = { serial: 'AAA0001', fixture: 'dell/poweredge-r7525/ED52A1D54F9D', switchName: 'par1-a01-tor1' };
    const grown = buildExampleSnapshot([...EXAMPLE_MACHINES, newcomer]);

    const after = compileExample(desired, { ...persist(grown, result), nodes: grown.nodes });

    const before = new Map(result.targets.map((target) => [target.nodeId, target]));
    for (const target of after.targets.filter((entry) => entry.nodeId !== 'AAA0001')) {
      expect({ id: target.nodeId, hostname: target.hostname, addresses: target.addresses }).toEqual({
        id: target.nodeId, hostname: before.get(target.nodeId)?.hostname, addresses: before.get(target.nodeId)?.addresses,
      });
    }
    expect(after.targets.find((target) => target.nodeId === 'AAA0001')?.hostname).toBe('pub1-compute-13.pub1.example.net');
  });

  it('gives the declared replacement the hostname and addresses of the machine it replaces', () => {
    const replacement = result.targets.find((target) => target.nodeId === 'CN7016394F0B2A');

    expect(replacement?.hostname).toBe('pub1-compute-7.pub1.example.net');
    expect(replacement?.addresses).toMatchObject({ management: '10.10.0.77', provisioning: '10.30.0.77', vxlan: '10.40.0.77' });
    expect(result.allocations.filter((allocation) => allocation.nodeId === 'CN7016394F01C8')).toEqual([]);
    expect(result.hostnames.find((entry) => entry.nodeId === 'CN7016394F01C8')).toBeUndefined();
  });

  it('honours the addresses and hostnames that Node manifests pin', () => {
    const controller = result.targets.find((target) => target.nodeId === '7XQK2M5');

    expect(controller?.hostname).toBe('pub1-controller-3.pub1.example.net');
    expect(controller?.addresses).toMatchObject({ management: '10.10.0.13', ipmi: '10.20.0.13', public: '198.51.100.13' });
  });

  it('keeps every secret out of the ENC: secret parameters are placeholders the delivery step resolves', () => {
    const controller = result.targets.find((target) => target.role === 'controller');

    expect(controller?.secretNames).toEqual(['keystone_admin_password']);
    expect(controller?.enc.classes['plinth::role::controller']?.keystone_admin_password).toBe('ENC_SECRET(keystone_admin_password)');
  });
});
