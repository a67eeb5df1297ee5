import { describe, expect, it } from '@jest/globals';
import { classifyNodes } from '../../reconciler/inventory/classify-nodes.js';
import { cluster, desiredState, profile, snapshotNodes } from './desired-fixture.js';
import { buildRealInventory, R640, serialOf } from './real-fleet.js';

/**
 * The three real PowerEdge R640 dumps: two alike (2× Xeon Silver 4114, 16 DIMMs) and one odd
 * (2× Xeon Gold 6134, 8 DIMMs of twice the size, so the same 256 GiB, and a newer BIOS).
 */
const inventories = [R640.first, R640.second, R640.odd].map((fixture, index) => buildRealInventory({ fixture }, index));
const nodes = snapshotNodes(inventories);
const R640_PROFILE = profile('r640', { priority: 10, role: 'compute', match: { productName: ['PowerEdge R640'], cpuCount: { min: 2, max: 2 } } });

describe('the three real PowerEdge R640s', () => {
  it('are all matched to the one R640 profile', () => {
    const results = classifyNodes(desiredState([R640_PROFILE]), nodes);
    expect(results.map((result) => [result.nodeId, result.profile])).toEqual([
      [serialOf(R640.odd), 'r640'],
      [serialOf(R640.first), 'r640'],
      [serialOf(R640.second), 'r640'],
    ]);
  });

  it('flag the odd one for its CPU model and its fewer DIMMs, and not the other two', () => {
    const results = new Map(classifyNodes(desiredState([R640_PROFILE]), nodes).map((result) => [result.nodeId, result]));
    const odd = results.get('1917FF5F0757');
    expect(odd?.state).toBe('matched');
    expect(odd?.flags).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ flag: 'fewer-dimms', observed: '8 DIMMs', peers: '16 DIMMs on 2 of 3 machines' }),
        expect.objectContaining({ flag: 'cpu-model', observed: 'Intel(R) Xeon(R) Gold 6134 CPU @ 3.20GHz ×2', peers: 'Intel(R) Xeon(R) Silver 4114 CPU @ 2.20GHz ×2 on 2 of 3 machines' }),
      ]),
    );
    // Same memory total from half the DIMMs: only the DIMM count differs.
    expect(odd?.flags.map((flag) => flag.flag)).not.toContain('less-memory');
    expect(results.get('8885D8B6E2FE')?.flags).toEqual([]);
    expect(results.get('953E314D7CA9')?.flags).toEqual([]);
  });

  it('quarantine the odd one when the Cluster quarantines memory outliers', () => {
    const results = classifyNodes(desiredState([R640_PROFILE], cluster(['memory-outlier'])), nodes);
    expect(results.map((result) => [result.nodeId, result.state])).toEqual([
      ['1917FF5F0757', 'quarantined'],
      ['8885D8B6E2FE', 'matched'],
      ['953E314D7CA9', 'matched'],
    ]);
  });
});
