import { createConcurrencyLimiter, type ConcurrencyLimiter } from '../../../lib/concurrency-limiter.js';
import { bmcKey, maskAddress } from '../address.js';
import { BmcError, isBmcError } from '../errors.js';
import type { BmcDriver, BmcTarget, CallOptions, PowerAction } from '../types.js';
import { computeBackoff, type BackoffPolicy } from './backoff.js';
import { createCircuitBreakers, type BreakerOptions, type CircuitBreakers } from './circuit-breaker.js';
import { createKeyedMutex } from './keyed-mutex.js';

export interface IsolationOptions {
  /** Calls running at once across all BMCs (Metal3 provisions 20 hosts at a time). */
  concurrency?: number;
  /** Per-attempt timeout handed to the driver when the caller gives none. */
  timeoutMs?: number;
  retry?: Partial<BackoffPolicy>;
  breaker?: Partial<Omit<BreakerOptions, 'now'>>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const ISOLATION_DEFAULTS = {
  concurrency: 20,
  retry: { attempts: 3, baseDelayMs: 250, maxDelayMs: 4000 },
  breaker: { failureThreshold: 3, openMs: 30_000 },
};

/** Whether an error may be retried for this kind of call. */
type RetryRule = (error: BmcError) => boolean;

const RETRY_TRANSIENT: RetryRule = (error) => error.transient && error.code !== 'BMC_CIRCUIT_OPEN';
/**
 * `cycle` and `soft` are not idempotent: after a timeout the BMC may have acted already, so they are retried only
 * when the request cannot have reached the BMC.
 */
const RETRY_UNDELIVERED: RetryRule = (error) => error.code === 'BMC_UNREACHABLE';

/** A BMC that answered, even with an error, is alive; only "gone" failures count against its breaker. */
function countsAgainstBreaker(error: unknown): boolean {
  return isBmcError(error) && error.transient && error.code !== 'BMC_CIRCUIT_OPEN';
}

export interface IsolatedBmcDriver extends BmcDriver {
  readonly limiter: ConcurrencyLimiter;
  readonly breakers: CircuitBreakers;
  /** Closes the wrapped driver's sessions; a no-op for drivers that keep none. */
  close(): Promise<void>;
}

/**
 * Wraps any BMC driver with the limits that keep one bad BMC from hurting the rest: one operation in flight per
 * BMC (by address), a global concurrency limit held only while an attempt runs (not while waiting to retry),
 * bounded retries with backoff and jitter for transient errors, and a circuit breaker per BMC.
 */
export function isolateBmcDriver(inner: BmcDriver, options: IsolationOptions = {}): IsolatedBmcDriver {
  const retry: BackoffPolicy = { ...ISOLATION_DEFAULTS.retry, ...options.retry };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const limiter = createConcurrencyLimiter(options.concurrency ?? ISOLATION_DEFAULTS.concurrency);
  const perBmc = createKeyedMutex();
  const breakers = createCircuitBreakers({ ...ISOLATION_DEFAULTS.breaker, ...options.breaker, now });

  function circuitOpen(address: string): BmcError {
    const retryAt = breakers.retryAt(address);
    const message = `BMC ${maskAddress(address)} failed repeatedly; not calling it again yet`;
    return new BmcError('BMC_CIRCUIT_OPEN', message, {
      details: {
        address: maskAddress(address),
        ...(retryAt === undefined ? {} : { retryAt: new Date(retryAt).toISOString() }),
      },
    });
  }

  async function attemptOnce<T>(address: string, call: () => Promise<T>): Promise<T> {
    return limiter.run(async () => {
      try {
        const result = await call();
        breakers.recordSuccess(address);
        return result;
      } catch (error) {
        if (countsAgainstBreaker(error)) breakers.recordFailure(address);
        else if (isBmcError(error)) breakers.recordSuccess(address);
        throw error;
      }
    });
  }

  async function attemptAll<T>(
    address: string,
    call: () => Promise<T>,
    mayRetry: RetryRule,
    signal?: AbortSignal,
  ): Promise<T> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= retry.attempts; attempt += 1) {
      if (!breakers.allow(address)) throw attempt === 1 ? circuitOpen(address) : lastError;
      try {
        return await attemptOnce(address, call);
      } catch (error) {
        lastError = error;
        const retryable = isBmcError(error) && mayRetry(error) && signal?.aborted !== true;
        if (!retryable || attempt === retry.attempts) throw error;
        await sleep(computeBackoff(attempt, retry, random));
      }
    }
    throw lastError;
  }

  function guard<T>(target: BmcTarget, call: () => Promise<T>, mayRetry: RetryRule, signal?: AbortSignal): Promise<T> {
    const key = bmcKey(target.address);
    return perBmc.run(key, () => attemptAll(key, call, mayRetry, signal));
  }

  function withTimeout<O extends CallOptions>(opts: O | undefined): O {
    const base = (opts ?? {}) as O;
    if (base.timeoutMs !== undefined || options.timeoutMs === undefined) return base;
    return { ...base, timeoutMs: options.timeoutMs };
  }

  function ruleFor(action: PowerAction): RetryRule {
    return action === 'cycle' || action === 'soft' ? RETRY_UNDELIVERED : RETRY_TRANSIENT;
  }

  return {
    limiter,
    breakers,
    getPower: (target, opts) =>
      guard(target, () => inner.getPower(target, withTimeout(opts)), RETRY_TRANSIENT, opts?.signal),
    ensurePower: (target, action, opts) =>
      guard(target, () => inner.ensurePower(target, action, withTimeout(opts)), ruleFor(action), opts?.signal),
    ensureBootDevice: (target, device, opts) =>
      guard(target, () => inner.ensureBootDevice(target, device, withTimeout(opts)), RETRY_TRANSIENT, opts.signal),
    getInfo: (target, opts) =>
      guard(target, () => inner.getInfo(target, withTimeout(opts)), RETRY_TRANSIENT, opts?.signal),
    close: async () => {
      await inner.close?.();
    },
  };
}
