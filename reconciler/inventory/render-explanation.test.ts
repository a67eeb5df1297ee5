import { describe, expect, it } from '@jest/globals';
import { cluster, desiredState, profile, snapshotNodes } from '../../tests/inventory/desired-fixture.js';
import { sampleInventory } from '../../tests/support/sample-inventory.js';
import { classifyNodes } from './classify-nodes.js';
import { renderExplanation } from './render-explanation.js';

describe('renderExplanation', () => {
  it('explains an unmatched machine: each criterion, the nearest profile, no placement, no flags', () => {
    const desired = desiredState([
      profile('gpu', { priority: 30, match: { productName: ['G242-Z11-00'], memoryGiB: { min: 500 } } }),
      profile('any', { priority: 5, match: {}, quota: { max: 0 } }),
    ]);
    const [node] = snapshotNodes([sampleInventory('SN1')]);
    if (!node) throw new Error('no node');
    const [classification] = classifyNodes(desired, [node]);
    if (!classification) throw new Error('no classification');
    const text = renderExplanation({ classification, node, cluster: cluster() });
    expect(text).toBe(
      [
        'Machine SN1: Dell Inc. PowerEdge R640 (identity from chassis-serial)',
        '  hardware:  Intel(R) Xeon(R) Silver 4114 CPU @ 2.20GHz ×2; 256 GiB (16 DIMMs); 2 disks; 2 NICs; 0 GPUs',
        '  state:     unmatched',
        '  profile:   -',
        '  role:      -',
        '  hostname:  -',
        '  AZ:        -',
        '',
        'Profiles, highest priority first:',
        '  gpu (priority 30): no match (2 of 2 criteria fail)',
        '    FAIL  productName  expected any of: G242-Z11-00; observed PowerEdge R640',
        '    FAIL  memoryGiB    expected ≥ 500 GiB; observed 256 GiB (16 DIMMs)',
        '  any (priority 5): MATCH',
        '    (no criteria: every machine matches)',
        '',
        'Why: matches profile any, but quota of 0 reached: machines already in service, then those first by identity, hold it',
        '',
        'Placement: no-lldp',
        '  no NIC reported an LLDP neighbour, so the switch is unknown; pin a location in a Node manifest or enable LLDP on the switch',
        '',
        'Peer flags: none (looks like the other machines of its profile, or too few to compare)',
        '',
      ].join('\n'),
    );
  });
});
