/**
 * One breaker per BMC. After `failureThreshold` consecutive failures that say the BMC is gone (unreachable, timed
 * out), calls fail at once for `openMs` instead of each holding a worker until its timeout; then one trial call is
 * let through, and its outcome closes or re-opens the breaker.
 */
export interface BreakerOptions {
  failureThreshold: number;
  openMs: number;
  now: () => number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

interface Entry {
  failures: number;
  openedAt?: number;
}

export interface CircuitBreakers {
  /** Whether a call to `key` may go ahead now. */
  allow(key: string): boolean;
  state(key: string): BreakerState;
  /** The BMC answered (even with an error such as a refused password): it is alive. */
  recordSuccess(key: string): void;
  recordFailure(key: string): void;
  /** When an open breaker lets the next trial through (epoch ms), for error details. */
  retryAt(key: string): number | undefined;
}

export function createCircuitBreakers(options: BreakerOptions): CircuitBreakers {
  const entries = new Map<string, Entry>();

  function state(key: string): BreakerState {
    const entry = entries.get(key);
    if (entry?.openedAt === undefined) return 'closed';
    return options.now() - entry.openedAt >= options.openMs ? 'half-open' : 'open';
  }

  return {
    state,
    allow: (key) => state(key) !== 'open',
    recordSuccess(key) {
      entries.delete(key);
    },
    recordFailure(key) {
      const entry = entries.get(key) ?? { failures: 0 };
      entry.failures += 1;
      // A failed trial re-opens at once; a closed breaker opens at the threshold.
      if (entry.openedAt !== undefined || entry.failures >= options.failureThreshold) entry.openedAt = options.now();
      entries.set(key, entry);
    },
    retryAt(key) {
      const openedAt = entries.get(key)?.openedAt;
      return openedAt === undefined ? undefined : openedAt + options.openMs;
    },
  };
}
