import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { cleanPuppetOutput, errorLinesOf, interpretRunSummary, outcomeOfExitCode } from './run-summary.js';
import type { PuppetRun } from './types.js';

// Shape of the last_run_summary.yaml puppet 7.23 wrote for a run with one failed exec.
const FAILED_SUMMARY = `---
version: { config: 1795303380, puppet: 7.23.0 }
resources: { changed: 1, corrective_change: 0, failed: 1, failed_to_restart: 0, out_of_sync: 2, restarted: 0, scheduled: 0, skipped: 0, total: 9 }
time: { catalog_application: 0.0177, total: 0.0198, last_run: 1795303380 }
changes: { total: 1 }
events: { failure: 1, success: 1, total: 2 }
`;
const GOOD_SUMMARY = FAILED_SUMMARY.replace('failed: 1,', 'failed: 0,').replace('failure: 1,', 'failure: 0,');

function runOf(exitCode: number | null, startedAt: number, errors: string[] = []): PuppetRun {
  return { certname: 'n1', exitCode, outcome: outcomeOfExitCode(exitCode), startedAt, errors, outputTail: '' };
}

describe('outcomeOfExitCode', () => {
  it('follows --detailed-exitcodes', () => {
    expect([0, 2, 4, 6, 1, null].map(outcomeOfExitCode)).toEqual(['unchanged', 'changed', 'failures', 'changed-with-failures', 'run-failed', 'run-failed']);
  });
});

describe('interpretRunSummary', () => {
  it('is active when nothing failed', () => {
    expect(interpretRunSummary(parse(GOOD_SUMMARY), 'n1', runOf(2, 1795303300))).toMatchObject({ state: 'active', reason: '', lastRun: 1795303380 });
  });

  it('is failed with the counts and the first error when resources failed', () => {
    const result = interpretRunSummary(parse(FAILED_SUMMARY), 'n1', runOf(6, 1795303300, ["'/bin/false' returned 1 instead of one of [0]"]));

    expect(result).toMatchObject({ state: 'failed', reason: "1 resource failed, 1 event failed: '/bin/false' returned 1 instead of one of [0]" });
  });

  it('is failed when the summary is older than the run that was triggered', () => {
    const result = interpretRunSummary(parse(GOOD_SUMMARY), 'n1', runOf(2, 1795309999));

    expect(result.state).toBe('failed');
    expect(result.reason).toContain('predates the run');
  });

  it('trusts a failing exit code over a clean summary', () => {
    expect(interpretRunSummary(parse(GOOD_SUMMARY), 'n1', runOf(4, 1795303300)).state).toBe('failed');
    expect(interpretRunSummary(parse(GOOD_SUMMARY), 'n1', runOf(1, 1795303300, ['Could not find class nosuchclass'])).reason).toBe(
      'the Puppet run failed (exit 1): Could not find class nosuchclass',
    );
  });

  it('is failed when there is no summary, or one without resources', () => {
    expect(interpretRunSummary(undefined, 'n1').state).toBe('failed');
    expect(interpretRunSummary({ version: { puppet: '7.23.0' }, time: { last_run: 5 } }, 'n1').reason).toBe('the run applied no catalog');
  });
});

describe('cleanPuppetOutput', () => {
  it("drops colour codes and Facter's /proc/1/environ noise, and finds the errors", () => {
    const raw = [
      '\u001b[1;31mError: Facter: Permission denied @ rb_sysopen - /proc/1/environ\u001b[0m',
      '\u001b[mNotice: Compiled catalog for n1 in environment production in 0.02 seconds\u001b[0m',
      "\u001b[1;31mError: Evaluation Error: parameter 'addresses' expects an Array value, got String\u001b[0m",
    ].join('\n');

    const lines = cleanPuppetOutput(raw);

    expect(lines).toEqual([
      'Notice: Compiled catalog for n1 in environment production in 0.02 seconds',
      "Error: Evaluation Error: parameter 'addresses' expects an Array value, got String",
    ]);
    expect(errorLinesOf(lines)).toEqual(["Evaluation Error: parameter 'addresses' expects an Array value, got String"]);
  });
});
