import { describe, expect, it } from '@jest/globals';
import { decideSummaryState, markSuperseded, renderStatusDescription, renderSummaryNote, type RevisionSummary } from './summary.js';

const revision = `main@sha1:${'c'.repeat(40)}`;

function summary(overrides: Partial<RevisionSummary> = {}): RevisionSummary {
  return { cluster: 'par1', revision, phase: 'applied', counts: {}, failures: [], blocked: [], pending: 0, validationErrors: [], ...overrides };
}

describe('revision summary rendering', () => {
  const applied = summary({
    counts: { reprovision: { blocked: 1 }, enrol: { succeeded: 3, failed: 1 } },
    failures: [{ node: 'c2', action: 'enrol', reason: 'BMC 10.0.0.12 timed out' }],
    blocked: [{ node: 'c4', action: 'reprovision', reason: 'needs Plinth-Approve: reprovision c4' }],
  });

  it('renders a stable note, actions sorted, failures and blocked with reasons', () => {
    expect(renderSummaryNote(applied)).toBe(
      [
        `plinth: par1 ${revision} failure (applied)`,
        'actions:',
        '  enrol: 3 succeeded, 1 failed',
        '  reprovision: 1 blocked',
        'failures:',
        '  - c2 enrol: BMC 10.0.0.12 timed out',
        'blocked:',
        '  - c4 reprovision: needs Plinth-Approve: reprovision c4',
        '',
      ].join('\n'),
    );
  });

  it('never writes a credential that slipped into a reason', () => {
    const leaky = summary({ failures: [{ node: 'c1', action: 'power', reason: 'ipmitool failed: password=hunter2 rejected' }] });
    expect(renderSummaryNote(leaky)).not.toContain('hunter2');
    expect(renderStatusDescription(leaky)).not.toContain('hunter2');
  });

  it('lists located validation errors of an invalid commit', () => {
    const invalid = summary({
      phase: 'invalid',
      validationErrors: [{ severity: 'error', rule: 'schema', message: 'must have property name', file: 'nodes/c1.yaml', line: 3, col: 5 }],
    });
    expect(decideSummaryState(invalid)).toBe('failure');
    expect(renderSummaryNote(invalid)).toContain('  - nodes/c1.yaml:3:5 must have property name');
    expect(renderStatusDescription(invalid)).toBe('invalid: 1 validation error(s), nothing applied; first: nodes/c1.yaml:3 must have property name');
  });

  it('keeps the status description within 140 characters', () => {
    const long = summary({
      phase: 'invalid',
      validationErrors: [{ severity: 'error', rule: 'schema', message: 'x'.repeat(400), file: 'a.yaml', line: 1, col: 1 }],
    });
    expect([...renderStatusDescription(long)].length).toBeLessThanOrEqual(140);
  });

  it('names the first failed and blocked node in the status description', () => {
    expect(renderStatusDescription(applied)).toBe('applied: 3 ok, 1 failed (c2 enrol), 1 blocked (c4 reprovision)');
  });

  it('ends the status description with where the nodes the revision acted on ended', () => {
    expect(renderStatusDescription({ ...applied, nodes: { installed: 3, failed: 1 } })).toBe('applied: 3 ok, 1 failed (c2 enrol), 1 blocked (c4 reprovision); nodes: 1 failed, 3 installed');
  });

  it('is pending while actions remain and success when all succeeded', () => {
    expect(decideSummaryState(summary({ phase: 'applying', pending: 4 }))).toBe('pending');
    expect(decideSummaryState(summary({ counts: { enrol: { succeeded: 2 } } }))).toBe('success');
    expect(renderStatusDescription(summary({ phase: 'picked-up', pending: 12 }))).toBe('picked up: 0 ok, 0 failed, 0 blocked, 12 pending');
  });

  it('ends a superseded revision with error, naming the commit that took its work over', () => {
    const stopped = markSuperseded(summary({ counts: { enrol: { succeeded: 1, skipped: 2 } }, pending: 2 }), 'd'.repeat(40));
    expect(decideSummaryState(stopped)).toBe('error');
    expect(renderStatusDescription(stopped)).toBe('superseded by dddddddddddd before its apply ended: 1 ok, 0 failed, 0 blocked, 2 pending');
    expect(renderSummaryNote(stopped)).toBe(
      `plinth: par1 ${revision} error (superseded)\nactions:\n  enrol: 1 succeeded, 2 skipped\nleft to the newer commit: 2\nsuperseded by: ${'d'.repeat(40)}\n`,
    );
  });
});
