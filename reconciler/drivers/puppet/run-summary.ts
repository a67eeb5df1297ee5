import type { PuppetRun, RunOutcome, RunResult, RunSummaryCounts } from './types.js';

/** `--detailed-exitcodes`: 0 nothing to do, 2 changes applied, 4 failures, 6 changes and failures, 1 the run itself failed. */
export function outcomeOfExitCode(exitCode: number | null): RunOutcome {
  switch (exitCode) {
    case 0:
      return 'unchanged';
    case 2:
      return 'changed';
    case 4:
      return 'failures';
    case 6:
      return 'changed-with-failures';
    default:
      return 'run-failed';
  }
}

// Facter reads /proc/1/environ, which a sandboxed or containerised node denies; the line is noise, not a failure.
const FACTER_NOISE = /Facter: Permission denied @ rb_sysopen - \/proc\/1\/environ/;
const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Puppet's output as lines an operator can read: colours removed, Facter's sandbox noise dropped. */
export function cleanPuppetOutput(text: string): string[] {
  return text
    .replace(ANSI_ESCAPE, '')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !FACTER_NOISE.test(line));
}

export function errorLinesOf(lines: readonly string[]): string[] {
  return lines.filter((line) => line.startsWith('Error:')).map((line) => line.slice('Error:'.length).trim());
}

/**
 * Decides `active` or `failed` from a parsed `last_run_summary.yaml`, and from the run that was just
 * triggered when there is one (its exit code, and its start time to spot a summary left by an earlier run).
 * Example: `interpretRunSummary(YAML.parse(text), 'c1-compute-1', run)`.
 */
export function interpretRunSummary(summary: unknown, certname: string, run?: PuppetRun): RunResult {
  const failed = (reason: string, extra: Partial<RunResult> = {}): RunResult => ({ certname, state: 'failed', reason, ...extra });
  const firstError = run?.errors[0] === undefined ? '' : `: ${run.errors[0]}`;
  if (run?.outcome === 'run-failed') return failed(`the Puppet run failed (exit ${run.exitCode ?? 'by signal'})${firstError}`);
  const record = asRecord(summary);
  if (record === undefined) return failed('the node has no readable last run summary');
  const lastRun = asNumber(asRecord(record.time)?.last_run);
  if (run !== undefined && (lastRun === undefined || lastRun < run.startedAt)) {
    return failed(`the last run summary predates the run started at ${run.startedAt}; the run applied no catalog${firstError}`, { lastRun });
  }
  const resources = asRecord(record.resources);
  if (resources === undefined) return failed(`the run applied no catalog${firstError}`, { lastRun });
  const counts: RunSummaryCounts = {
    resourcesFailed: asNumber(resources.failed) ?? 0,
    resourcesFailedToRestart: asNumber(resources.failed_to_restart) ?? 0,
    eventsFailed: asNumber(asRecord(record.events)?.failure) ?? 0,
    changes: asNumber(asRecord(record.changes)?.total) ?? 0,
  };
  const parts = [
    plural(counts.resourcesFailed, 'resource failed', 'resources failed'),
    plural(counts.resourcesFailedToRestart, 'resource failed to restart', 'resources failed to restart'),
    plural(counts.eventsFailed, 'event failed', 'events failed'),
  ].filter((part) => part !== '');
  if (parts.length > 0) return failed(`${parts.join(', ')}${firstError}`, { counts, lastRun });
  if (run?.outcome === 'failures' || run?.outcome === 'changed-with-failures') {
    return failed(`the Puppet run reported failures (exit ${run.exitCode})${firstError}`, { counts, lastRun });
  }
  return { certname, state: 'active', reason: '', counts, lastRun };
}

function plural(count: number, one: string, many: string): string {
  if (count === 0) return '';
  return `${count} ${count === 1 ? one : many}`;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
