import { describeError, isPlinthError, isTransient } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { CommitStatusDriver, DesiredStatus } from './forges/types.js';

export interface StatusReporterOptions {
  driver: CommitStatusDriver;
  log?: Pick<Logger, 'info' | 'warn'> & Partial<Pick<Logger, 'debug'>>;
  /** Sends of one status before it is given up (transient errors only; others drop at once). */
  maxAttempts?: number;
  /** Distinct sha/context pairs kept; the oldest is dropped first when full. */
  maxQueued?: number;
  /** Backoff before retry `attempt` (1-based), unless the forge asked for longer. */
  backoffMs?: (attempt: number) => number;
  /** Longest wait between tries, whatever the forge asked. */
  maxDelayMs?: number;
  setTimer?: (callback: () => void, ms: number) => unknown;
}

interface Entry {
  status: DesiredStatus;
  attempts: number;
}

const defaultBackoff = (attempt: number): number => Math.min(300_000, 2_000 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);

/**
 * Posts commit statuses in the background so a forge outage never blocks reconciling: `report` only
 * queues. The queue keeps the latest desired status per sha and context (a newer one replaces an unsent
 * older one), sends one at a time, retries transient failures with backoff, and is bounded.
 */
export class StatusReporter {
  private readonly queue = new Map<string, Entry>();
  private sending = false;
  private waiting = false;
  private idleWaiters: (() => void)[] = [];
  /** Set from the first transient failure until a send succeeds: an outage is logged once, not per retry. */
  private outage = false;

  constructor(private readonly options: StatusReporterOptions) {}

  /** Queues `status`; returns at once. */
  report(status: DesiredStatus): void {
    const key = `${status.sha}\u0000${status.context}`;
    this.queue.delete(key); // re-insert so the Map's order stays oldest-first
    this.queue.set(key, { status, attempts: 0 });
    const limit = this.options.maxQueued ?? 1_000;
    for (const oldest of this.queue.keys()) {
      if (this.queue.size <= limit) break;
      this.queue.delete(oldest);
      this.options.log?.warn({ key: oldest.replace('\u0000', ' ') }, 'status dropped: queue full');
    }
    if (!this.waiting) void this.drain();
  }

  /** Resolves once every queued status was sent or given up. */
  whenIdle(): Promise<void> {
    if (this.queue.size === 0 && !this.sending) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get pending(): number {
    return this.queue.size;
  }

  private async drain(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    let retryInMs: number | undefined;
    try {
      for (let next = this.queue.entries().next(); !next.done; next = this.queue.entries().next()) {
        const [key, entry] = next.value;
        retryInMs = await this.sendOne(key, entry);
        if (retryInMs !== undefined) break;
      }
    } finally {
      this.sending = false;
    }
    if (retryInMs !== undefined) return this.waitThenDrain(retryInMs);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Sends one entry; returns a delay when it must be retried later (transient failure). */
  private async sendOne(key: string, entry: Entry): Promise<number | undefined> {
    entry.attempts += 1;
    try {
      const result = await this.options.driver.ensureStatus(entry.status);
      if (this.outage) this.options.log?.info({ forge: this.options.driver.forge, queued: this.queue.size }, 'forge reachable again');
      this.outage = false;
      this.options.log?.info({ forge: this.options.driver.forge, sha: entry.status.sha, state: entry.status.state, posted: result.posted }, 'commit status ensured');
      this.removeIfCurrent(key, entry);
      return undefined;
    } catch (error) {
      const code = isPlinthError(error) ? error.code : 'UNKNOWN';
      // Waiting for our own request budget is routine: not a failed try, no backoff, no warning.
      const routine = isPlinthError(error) && error.details['local'] === true;
      if (routine) entry.attempts -= 1;
      if (!isTransient(error) || entry.attempts >= (this.options.maxAttempts ?? 8)) {
        this.options.log?.warn({ forge: this.options.driver.forge, sha: entry.status.sha, code, attempts: entry.attempts, reason: describeError(error) }, 'commit status given up');
        this.removeIfCurrent(key, entry);
        return undefined;
      }
      const asked = isPlinthError(error) && typeof error.details['retryAfterMs'] === 'number' ? error.details['retryAfterMs'] : 0;
      const delay = Math.min(this.options.maxDelayMs ?? 600_000, routine ? asked : Math.max(asked, (this.options.backoffMs ?? defaultBackoff)(entry.attempts)));
      const facts = { forge: this.options.driver.forge, sha: entry.status.sha, code, attempts: entry.attempts, retryInMs: delay };
      if (this.outage || routine) this.options.log?.debug?.(facts, 'commit status deferred');
      else this.options.log?.warn({ ...facts, reason: describeError(error) }, 'forge unavailable: commit statuses queued, reconciling goes on');
      if (!routine) this.outage = true;
      return delay;
    }
  }

  /** A newer status for the same key may have arrived while this one was in flight: keep that one. */
  private removeIfCurrent(key: string, entry: Entry): void {
    if (this.queue.get(key) === entry) this.queue.delete(key);
  }

  private waitThenDrain(ms: number): void {
    this.waiting = true;
    const setTimer = this.options.setTimer ?? ((callback: () => void, delay: number) => setTimeout(callback, delay).unref());
    setTimer(() => {
      this.waiting = false;
      void this.drain();
    }, ms);
  }
}
