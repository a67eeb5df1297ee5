import { createConcurrencyLimiter, type ConcurrencyLimiter } from '../../../lib/concurrency-limiter.js';

/** Serialises tasks that share a key (one operation in flight per BMC); different keys run independently. */
export interface KeyedMutex {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Keys with a task running or waiting. */
  readonly size: number;
}

/** Example: `const perBmc = createKeyedMutex(); await perBmc.run(bmcKey(address), () => driver.getPower(target))`. */
export function createKeyedMutex(): KeyedMutex {
  const locks = new Map<string, ConcurrencyLimiter>();
  return {
    async run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const lock = locks.get(key) ?? createConcurrencyLimiter(1);
      locks.set(key, lock);
      try {
        return await lock.run(task);
      } finally {
        // Forget idle keys so the map does not grow with every BMC ever seen.
        if (lock.active === 0 && lock.waiting === 0 && locks.get(key) === lock) locks.delete(key);
      }
    },
    get size() {
      return locks.size;
    },
  };
}
