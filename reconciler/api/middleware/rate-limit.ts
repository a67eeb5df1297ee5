import type { MiddlewareHandler } from 'hono';
import { HttpError } from '../http-error.js';
import type { ApiEnv } from './api-env.js';

export interface RateLimitOptions {
  /** Tokens added per second, i.e. the sustained requests per second per source. */
  ratePerSecond: number;
  /** Bucket size: how many requests a source may send at once after a quiet period. */
  burst: number;
  /** Most sources tracked; the oldest idle ones are forgotten first (a forgotten source starts full). */
  maxSources?: number;
  /** Milliseconds clock, passed in so tests need no waiting. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per key. `take` spends one token or says how long until one is available.
 *
 * @example const limiter = new TokenBuckets({ ratePerSecond: 2, burst: 10 }); limiter.take('10.0.0.5')
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxSources: number;

  constructor(private readonly options: RateLimitOptions) {
    this.now = options.now ?? Date.now;
    this.maxSources = options.maxSources ?? 10_000;
  }

  /** Returns 0 when a token was taken, else the seconds to wait before retrying (at least 1). */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, updatedAt: now };
    const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + elapsed * this.options.ratePerSecond);
    bucket.updatedAt = now;
    // Re-inserting keeps the Map in least-recently-used order, so eviction drops the idlest source.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    this.evict();
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.ratePerSecond));
  }

  private evict(): void {
    while (this.buckets.size > this.maxSources) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) return;
      this.buckets.delete(oldest);
    }
  }
}

/** 429 with Retry-After once a source has used up its bucket. */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<ApiEnv> {
  const buckets = new TokenBuckets(options);
  return async (c, next) => {
    const wait = buckets.take(c.get('sourceAddress'));
    if (wait > 0) {
      throw new HttpError(429, 'API_RATE_LIMITED', `too many reports from ${c.get('sourceAddress')}; retry in ${wait} s`, {
        headers: { 'Retry-After': String(wait) },
      });
    }
    await next();
  };
}
