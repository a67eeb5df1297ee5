import { describe, expect, it } from '@jest/globals';
import { PollScheduler } from './poll-scheduler.js';

/** A run that waits until released, counting how many runs overlap. */
function gatedRun(): { run: () => Promise<void>; release: () => void; runs: () => number; maxConcurrent: () => number } {
  let active = 0;
  let peak = 0;
  let count = 0;
  let gate: () => void = () => undefined;
  let opened = new Promise<void>((resolve) => (gate = resolve));
  return {
    run: async () => {
      count += 1;
      active += 1;
      peak = Math.max(peak, active);
      await opened;
      active -= 1;
    },
    release: () => {
      gate();
      opened = Promise.resolve();
    },
    runs: () => count,
    maxConcurrent: () => peak,
  };
}

describe('PollScheduler', () => {
  it('coalesces a burst of triggers during a run into one more run, never two at once', async () => {
    const gated = gatedRun();
    const scheduler = new PollScheduler({ run: gated.run, intervalMs: 3_600_000 });
    scheduler.start();
    const first = scheduler.trigger();
    const burst = Array.from({ length: 10 }, () => scheduler.trigger());
    gated.release();
    await Promise.all([first, ...burst]);
    await scheduler.stop();
    expect(gated.runs()).toBe(2);
    expect(gated.maxConcurrent()).toBe(1);
  });

  it('keeps running after a failed sync and reports the error', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const scheduler = new PollScheduler({
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('remote unreachable');
      },
      intervalMs: 3_600_000,
      onError: (error) => errors.push(error),
    });
    scheduler.start();
    await scheduler.trigger();
    await scheduler.trigger();
    await scheduler.stop();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('schedules the next poll at the interval plus jitter', () => {
    const delays: number[] = [];
    const scheduler = new PollScheduler({
      run: async () => undefined,
      intervalMs: 60_000,
      jitterRatio: 0.1,
      random: () => 0.5,
      setTimer: (callback, ms) => {
        delays.push(ms);
        return setTimeout(callback, 3_600_000);
      },
    });
    scheduler.start();
    void scheduler.stop();
    expect(delays).toEqual([63_000]);
  });

  it('does nothing once stopped', async () => {
    let calls = 0;
    const scheduler = new PollScheduler({ run: async () => void (calls += 1), intervalMs: 3_600_000 });
    scheduler.start();
    await scheduler.stop();
    await scheduler.trigger();
    expect(calls).toBe(0);
  });
});
