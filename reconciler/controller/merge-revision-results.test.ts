import { describe, expect, it } from '@jest/globals';
import type { ActionResult } from '../apply/types.js';
import type { RevisionRecord } from '../store/controller-types.js';
import { ACTION_RESULTS_KEY, mergeActionResults, readEarlierResults } from './merge-revision-results.js';

const result = (nodeId: string, outcome: ActionResult['outcome'], lifecycle?: ActionResult['lifecycle']): ActionResult => ({
  actionId: `${nodeId}/enrol`, nodeId, hostname: `${nodeId}.lab.test`, kind: 'enrol', outcome, stepsRun: 1, ...(lifecycle ? { lifecycle } : {}),
});

const record = (revision: string, summary: Record<string, unknown>): RevisionRecord => ({ id: 1, revision, phase: 'applied', summary, pickedAt: '2026-01-01T00:00:00Z' });

describe('results of several reconciles of one revision', () => {
  it('keeps an earlier pass\'s result for a node the latest pass did not act on', () => {
    const merged = mergeActionResults([result('ctl', 'succeeded', 'installed')], [result('osd', 'succeeded', 'installed')]);

    expect(merged.map((entry) => entry.nodeId)).toEqual(['ctl', 'osd']);
  });

  it('lets the latest pass replace the earlier result of the same node', () => {
    const merged = mergeActionResults([result('cmp', 'failed', 'failed')], [result('cmp', 'succeeded', 'installed')]);

    expect(merged).toEqual([result('cmp', 'succeeded', 'installed')]);
  });

  it('reads earlier results only from the record of the same revision', async () => {
    const stored = [result('ctl', 'succeeded', 'installed')];
    const store = { listRevisions: async () => [record('main@sha1:b', { [ACTION_RESULTS_KEY]: [result('x', 'failed')] }), record('main@sha1:a', { [ACTION_RESULTS_KEY]: stored })] };

    expect(await readEarlierResults(store, 'main@sha1:a')).toEqual(stored);
    expect(await readEarlierResults(store, 'main@sha1:c')).toEqual([]);
  });
});
