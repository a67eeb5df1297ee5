import { describe, expect, it } from '@jest/globals';
import type { Classification } from '../inventory/classification.js';
import { slimClassification } from './slim-classification.js';

const CLASSIFICATION: Classification = {
  nodeId: 'CMP0001', state: 'matched', reason: 'matches profile compute', profile: 'compute', role: 'compute', pinnedBy: 'cmp-1',
  evaluations: [{ profile: 'compute', priority: 10, matched: true, criteria: [{ criterion: 'memoryGiB', expected: '>= 256', observed: '512', pass: true }] }],
  placement: { availabilityZone: 'az-1', aggregates: ['gpu'], location: 'room-a', switchName: 'tor1' },
  placementStatus: 'placed', placementReason: 'switch tor1 in room-a',
  flags: [{ flag: 'less-memory', message: 'less memory than its peers', observed: '512', peers: '1024' }],
};

describe('slimClassification', () => {
  it('keeps every field compile, plan and apply read, and drops the criterion results and peer flags', () => {
    const { evaluations: _evaluations, flags: _flags, ...read } = CLASSIFICATION;

    const slim = slimClassification(CLASSIFICATION);

    expect(slim).toEqual({ ...read, evaluations: [], flags: [] });
    expect(CLASSIFICATION.evaluations).toHaveLength(1);
  });
});
