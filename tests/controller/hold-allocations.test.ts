import { describe, expect, it } from '@jest/globals';
import type { CompileResult } from '../../reconciler/compile/types.js';
import { holdAllocations } from '../../reconciler/controller/hold-allocations.js';
import { buildExampleSnapshot, compileExample, EXAMPLE_MACHINES, loadExampleDesired } from '../support/example-inventory.js';

/** node → `network address` pairs and hostname, as a compile gave them. */
function given(result: CompileResult): Map<string, string[]> {
  const byNode = new Map<string, string[]>();
  for (const entry of result.allocations) byNode.set(entry.nodeId, [...(byNode.get(entry.nodeId) ?? []), `${entry.network} ${entry.address}`]);
  for (const entry of result.hostnames) byNode.set(entry.nodeId, [...(byNode.get(entry.nodeId) ?? []), entry.hostname]);
  return byNode;
}

describe('holdAllocations', () => {
  it('keeps what a running apply’s compile gave out, not stored yet, away from a machine that joins it', async () => {
    const desired = await loadExampleDesired();
    // The apply was planned before CMP0001 reported; none of its enrolments has run, so the store holds only the old allocations.
    const before = EXAMPLE_MACHINES.filter((machine) => machine.serial !== 'CMP0001');
    const stored = buildExampleSnapshot(EXAMPLE_MACHINES);
    const first = compileExample(desired, buildExampleSnapshot(before));
    const firstGiven = given(first);

    const unheld = given(compileExample(desired, stored));
    const held = given(compileExample(desired, holdAllocations(stored, first)));

    // Without holding them, the newcomer takes addresses or a hostname the first compile gave a machine already being set up.
    const moved = [...firstGiven].filter(([nodeId, values]) => JSON.stringify(unheld.get(nodeId)) !== JSON.stringify(values));
    expect(moved.length).toBeGreaterThan(0);
    // Held, every machine of the first compile keeps exactly what it was given, and the newcomer gets none of it.
    for (const [nodeId, values] of firstGiven) expect(held.get(nodeId)).toEqual(values);
    const taken = new Set([...firstGiven.values()].flat());
    expect(held.get('CMP0001')?.length).toBeGreaterThan(0);
    expect(held.get('CMP0001')?.filter((value) => taken.has(value))).toEqual([]);
  });

  it('keeps the highest hostname index of either side, and each allocation once', () => {
    const base = buildExampleSnapshot([]);
    const merged = holdAllocations(
      { ...base, allocations: [{ network: 'management', address: '10.10.0.5', nodeId: 'A' }], hostnameHighWater: { compute: 9, storage: 2 } },
      {
        allocations: [{ network: 'management', address: '10.10.0.5', nodeId: 'A' }, { network: 'management', address: '10.10.0.12', nodeId: 'B' }],
        hostnames: [{ nodeId: 'B', role: 'compute', index: 10, hostname: 'pub1-compute-10.pub1.example.net' }],
        hostnameHighWater: { compute: 10, storage: 1 },
      },
    );
    expect(merged.allocations.map((entry) => entry.address)).toEqual(['10.10.0.12', '10.10.0.5']);
    expect(merged.hostnameHighWater).toEqual({ compute: 10, storage: 2 });
    expect(merged.hostnames.map((entry) => entry.nodeId)).toEqual(['CN7016394F01C8', 'B']);
  });
});
