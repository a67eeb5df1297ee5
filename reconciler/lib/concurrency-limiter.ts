/**
 * Runs at most `max` tasks at a time; the rest wait in arrival order. Used where a peer caps
 * concurrent work (Puppet servers serve a bounded number of agent runs, as Satellite enforces) and to bound
 * BMC calls across a fleet (with `max` 1 per key, one operation in flight per BMC).
 * Example: `const limit = createConcurrencyLimiter(10); await limit.run(() => triggerRun(node))`.
 */
export interface ConcurrencyLimiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export function createConcurrencyLimiter(max: number): ConcurrencyLimiter {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${max}`);
  let active = 0;
  const queue: (() => void)[] = [];
  const release = (): void => {
    active -= 1;
    const next = queue.shift();
    if (next) next();
  };
  const acquire = (): Promise<void> => {
    if (active < max) {
      active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      queue.push(() => {
        active += 1;
        resolve();
      }),
    );
  };
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
