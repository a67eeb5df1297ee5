import { PlinthError } from '../../lib/errors.js';

/**
 * Decides whether a request may go to a forge now: a local token bucket (our own budget) and any pause
 * the forge imposed (`Retry-After`, `X-RateLimit-Remaining: 0` until `X-RateLimit-Reset`). It never
 * sleeps: a refused request is a transient error and the status reporter retries later, so a slow
 * forge cannot hold up reconciling.
 */
export class RateGate {
  private tokens: number;
  private updatedAt: number;
  private pausedUntil = 0;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  /** Takes `cost` tokens (one per request) or throws FORGE_RATE_LIMITED with `retryAfterMs`. */
  admit(forge: string, cost = 1): void {
    const now = this.now();
    if (now < this.pausedUntil) throw rateLimited(forge, this.pausedUntil - now, 'forge asked to wait');
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
    const needed = Math.min(cost, this.burst);
    if (this.tokens < needed) throw rateLimited(forge, Math.ceil(((needed - this.tokens) / this.perSecond) * 1000), 'local request budget spent', true);
    this.tokens -= needed;
  }

  /** Reads the forge's rate-limit headers; returns how long it asked us to wait, if it did. */
  observe(headers: Headers): number | undefined {
    const wait = readWaitMs(headers, this.now());
    if (wait !== undefined) this.pausedUntil = Math.max(this.pausedUntil, this.now() + wait);
    return wait;
  }
}

function readWaitMs(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const remaining = headers.get('x-ratelimit-remaining') ?? headers.get('ratelimit-remaining');
  if (remaining === '0') {
    const reset = Number(headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset') ?? NaN);
    // GitHub and GitLab send the reset as epoch seconds.
    return Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) : 60_000;
  }
  return undefined;
}

/** `local`: our own request budget refused it, not the forge (an ordinary wait, not worth a warning). */
export function rateLimited(forge: string, retryAfterMs: number, reason: string, local = false): PlinthError {
  return new PlinthError('FORGE_RATE_LIMITED', `${forge} rate limit: ${reason}`, { transient: true, details: { forge, retryAfterMs, ...(local ? { local } : {}) } });
}
