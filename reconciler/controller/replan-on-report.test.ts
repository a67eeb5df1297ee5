import { describe, expect, it } from '@jest/globals';
import type { EnrolledNode, IngestOutcome } from '../store/types.js';
import { asksForReplan } from './replan-on-report.js';

const node: EnrolledNode = { id: 'S1', identitySource: 'system-serial', macs: [], state: 'installed', errorCount: 0, stepTimestamps: {}, firstSeen: 'T0', lastSeen: 'T1' };
const refreshed = (overrides: Partial<Extract<IngestOutcome, { changes: unknown }>> = {}): IngestOutcome => ({ kind: 'refreshed', node, reportId: 2, changes: [], ...overrides });

describe('asksForReplan', () => {
  it('re-plans for a new machine, changed hardware, or a failed machine that reports again; not for a routine report or a conflict', () => {
    expect(asksForReplan({ kind: 'enrolled', node, reportId: 1, changes: [] })).toBe(true);
    expect(asksForReplan(refreshed({ changes: [{ kind: 'disks', summary: 'disk sdb gone', before: 2, after: 1 }] }))).toBe(true);
    expect(asksForReplan(refreshed({ node: { ...node, state: 'failed' } }))).toBe(true);
    expect(asksForReplan(refreshed())).toBe(false);
    expect(asksForReplan({ kind: 'conflict', reportId: 3, conflictId: 1, reason: 'mac-mismatch', message: 'm', nodeIds: ['S1'] })).toBe(false);
  });
});
