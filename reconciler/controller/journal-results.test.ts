import { describe, expect, it } from '@jest/globals';
import type { JournalEntry } from '../store/types.js';
import { resultsFromJournal } from './journal-results.js';

const REVISION = `main@sha1:${'d'.repeat(40)}`;
let id = 0;
function entry(nodeId: string, actionId: string, op: string, state: JournalEntry['state'], detail: Record<string, unknown> = {}): JournalEntry {
  id += 1;
  return { id, revision: REVISION, nodeId, action: `${actionId}#${id}:${op}`, state, plannedAt: 'T', detail: { op, actionId, ...detail } };
}

describe('resultsFromJournal', () => {
  it('ends each action where its last journaled step ended, and leaves out one whose last step never ended', () => {
    const journal = [
      entry('A', 'A/enrol', 'dhcp-ensure', 'succeeded'), entry('A', 'A/enrol', 'power', 'succeeded'),
      entry('B', 'B/enrol', 'dhcp-ensure', 'succeeded'), entry('B', 'B/enrol', 'image-deploy', 'failed', { errorType: 'IMAGE_NO_DISK', message: 'no disk fits the image' }),
      entry('C', 'C/reprovision', 'power', 'interrupted', { reason: 'controller stopped during the step' }),
      entry('D', 'D/enrol', 'power', 'started'),
      // A step of a later pass succeeded after an earlier failure: the later one counts.
      entry('E', 'E/reconfigure', 'enc-publish', 'failed', { message: 'disk full' }), entry('E', 'E/reconfigure', 'enc-publish', 'succeeded'),
    ];
    const hostnames = new Map([['A', 'compute-1.example.net'], ['B', 'compute-2.example.net']]);
    const lifecycles = new Map([['A', 'installed' as const], ['B', 'failed' as const]]);

    const results = resultsFromJournal(journal.reverse(), { hostnameOf: (node) => hostnames.get(node), lifecycleOf: (node) => lifecycles.get(node) });

    expect(results.sort((a, b) => a.actionId.localeCompare(b.actionId))).toEqual([
      { actionId: 'A/enrol', nodeId: 'A', hostname: 'compute-1.example.net', kind: 'enrol', stepsRun: 0, outcome: 'succeeded', lifecycle: 'installed' },
      { actionId: 'B/enrol', nodeId: 'B', hostname: 'compute-2.example.net', kind: 'enrol', stepsRun: 0, outcome: 'failed', reason: 'image-deploy failed: no disk fits the image', lifecycle: 'failed' },
      { actionId: 'C/reprovision', nodeId: 'C', hostname: 'C', kind: 'reprovision', stepsRun: 0, outcome: 'interrupted', reason: 'power was interrupted: controller stopped during the step' },
      { actionId: 'E/reconfigure', nodeId: 'E', hostname: 'E', kind: 'reconfigure', stepsRun: 0, outcome: 'succeeded' },
    ]);
  });
});
