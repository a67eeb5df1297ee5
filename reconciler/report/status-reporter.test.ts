import { describe, expect, it } from '@jest/globals';
import { PlinthError } from '../lib/errors.js';
import type { CommitStatusDriver, DesiredStatus } from './forges/types.js';
import { StatusReporter } from './status-reporter.js';

const sha = 'a'.repeat(40);
const status = (state: DesiredStatus['state']): DesiredStatus => ({ sha, state, context: 'plinth/par1', description: state });

/** A driver that fails while `down` is true and records what it delivered. */
function flakyDriver(): { driver: CommitStatusDriver; delivered: DesiredStatus[]; setDown: (down: boolean) => void; calls: () => number } {
  let down = true;
  let calls = 0;
  const delivered: DesiredStatus[] = [];
  return {
    driver: {
      forge: 'test',
      async ensureStatus(desired) {
        calls += 1;
        if (down) throw new PlinthError('FORGE_UNAVAILABLE', 'down', { transient: true });
        delivered.push(desired);
        return { posted: true };
      },
    },
    delivered,
    setDown: (value) => (down = value),
    calls: () => calls,
  };
}

describe('StatusReporter queue', () => {
  it('delivers only the newest status of a sha and context queued during an outage', async () => {
    const flaky = flakyDriver();
    const timers: (() => void)[] = [];
    const reporter = new StatusReporter({ driver: flaky.driver, setTimer: (callback) => void timers.push(callback) });
    reporter.report(status('pending'));
    await new Promise((resolve) => setImmediate(resolve));
    reporter.report(status('success'));
    flaky.setDown(false);
    timers.shift()?.();
    await reporter.whenIdle();
    expect(flaky.delivered).toEqual([status('success')]);
  });

  it('gives a status up after the bounded number of attempts', async () => {
    const flaky = flakyDriver();
    const reporter = new StatusReporter({ driver: flaky.driver, maxAttempts: 3, setTimer: (callback) => void setImmediate(callback) });
    reporter.report(status('failure'));
    await reporter.whenIdle();
    expect(flaky.calls()).toBe(3);
    expect(reporter.pending).toBe(0);
  });

  it('drops a status at once on a permanent error', async () => {
    let calls = 0;
    const driver: CommitStatusDriver = {
      forge: 'test',
      async ensureStatus() {
        calls += 1;
        throw new PlinthError('FORGE_REJECTED', 'not found');
      },
    };
    const reporter = new StatusReporter({ driver, setTimer: (callback) => void setImmediate(callback) });
    reporter.report(status('success'));
    await reporter.whenIdle();
    expect(calls).toBe(1);
  });

  it('logs an outage once, however many retries it takes, and its end once', async () => {
    const flaky = flakyDriver();
    const lines: string[] = [];
    const log = { info: (_facts: object, message: string) => void lines.push(`info ${message}`), warn: (_facts: object, message: string) => void lines.push(`warn ${message}`) };
    let failures = 0;
    const reporter = new StatusReporter({
      driver: flaky.driver,
      log: log as never,
      setTimer: (callback) => {
        failures += 1;
        if (failures === 4) flaky.setDown(false);
        setImmediate(callback);
      },
    });
    reporter.report(status('success'));
    await reporter.whenIdle();
    expect(flaky.calls()).toBe(5);
    expect(lines).toEqual(['warn forge unavailable: commit statuses queued, reconciling goes on', 'info forge reachable again', 'info commit status ensured']);
  });

  it('waits for its own request budget without counting a try, backing off or warning', async () => {
    let calls = 0;
    const driver: CommitStatusDriver = {
      forge: 'test',
      async ensureStatus() {
        calls += 1;
        if (calls <= 10) throw new PlinthError('FORGE_RATE_LIMITED', 'budget', { transient: true, details: { retryAfterMs: 700, local: true } });
        return { posted: true };
      },
    };
    const waits: number[] = [];
    const warnings: string[] = [];
    const log = { info: () => undefined, warn: (_facts: object, message: string) => void warnings.push(message) };
    const reporter = new StatusReporter({ driver, log: log as never, maxAttempts: 3, setTimer: (callback, ms) => void (waits.push(ms), setImmediate(callback)) });
    reporter.report(status('success'));
    await reporter.whenIdle();
    expect(calls).toBe(11);
    expect(waits).toEqual(Array.from({ length: 10 }, () => 700));
    expect(warnings).toEqual([]);
  });

  it('keeps at most maxQueued statuses, dropping the oldest', () => {
    const flaky = flakyDriver();
    const reporter = new StatusReporter({ driver: flaky.driver, maxQueued: 2, setTimer: () => undefined });
    for (const letter of ['b', 'c', 'd']) reporter.report({ ...status('pending'), sha: letter.repeat(40) });
    expect(reporter.pending).toBe(2);
  });
});
