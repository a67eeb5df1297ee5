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

  it('keeps at most maxQueued statuses, dropping the oldest', () => {
    const flaky = flakyDriver();
    const reporter = new StatusReporter({ driver: flaky.driver, maxQueued: 2, setTimer: () => undefined });
    for (const letter of ['b', 'c', 'd']) reporter.report({ ...status('pending'), sha: letter.repeat(40) });
    expect(reporter.pending).toBe(2);
  });
});
