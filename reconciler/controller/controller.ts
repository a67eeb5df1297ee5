import { describeError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { createMemoryReleaser } from '../lib/release-memory.js';
import { markSuperseded, renderSummaryNote, type RevisionSummary } from '../report/summary.js';
import { PollScheduler } from '../source/poll-scheduler.js';
import { formatRevision, type Revision } from '../source/revision.js';
import type { Source } from '../source/types.js';
import type { ControllerMetrics } from './metrics.js';
import type { RevisionInput } from './reconcile-revision.js';

export interface ControllerOptions {
  source: Source;
  /** The commit message of `sha` (approval trailers live there). */
  readCommitMessage: (sha: string) => Promise<string>;
  reconcile: (input: RevisionInput, control: RevisionControl) => Promise<RevisionSummary>;
  /** Publishes a summary on its commit (git note, forge status); failures are logged, never block reconciling. */
  publish?: (sha: string, summary: RevisionSummary, note: string) => Promise<void>;
  metrics: ControllerMetrics;
  log: Logger;
  pollIntervalMs?: number;
  /** How often the remote head is checked while a revision is being applied (newest commit wins). */
  headCheckMs?: number;
  /** Called when the first driver action of a revision starts (benchmarks, logs). */
  onRevisionStart?: (revision: string) => void;
  /** How long reports are gathered before the re-plan they ask for (a rack booting at once is one re-plan). */
  replanDelayMs?: number;
  /** First wait before a failed sync or reconcile is tried again; doubles up to the poll interval. */
  retryBaseMs?: number;
  /** Gives the heap a reconcile grew back to the system (see `createMemoryReleaser`); by default V8's full collection. */
  releaseMemory?: () => void;
}

/** What a reconcile is given to follow the world while it applies. */
export interface RevisionControl {
  /** False once a newer head was seen. */
  isCurrent: () => boolean;
  signal: AbortSignal;
  /** Told (after the re-plan delay) when machines reported for the first time, so a running apply can take them on. */
  newMachines: { subscribe(listener: () => void): () => void };
}

const DEFAULT_REPLAN_DELAY_MS = 2_000;
const DEFAULT_RETRY_BASE_MS = 1_000;

/**
 * Follows one branch: each new head is validated, planned and applied, and its summary published. A newer
 * head seen during an apply (webhook or periodic check) makes the older apply stop at its next safe point;
 * the loop then picks the newer head up. Only one revision is ever applied at a time.
 *
 * @example const controller = new Controller({ source, readCommitMessage, reconcile, metrics, log }); controller.start();
 */
export class Controller {
  private readonly scheduler: PollScheduler;
  private readonly shutdown = new AbortController();
  private applying: Revision | undefined;
  /** Aborted when a newer head is seen: waits and retries of the revision being applied stop at once. */
  private superseded: AbortController | undefined;
  private newestSeen: string | undefined;
  private reconciledOnce = new Set<string>();
  private lastSummary: RevisionSummary | undefined;
  /** Counts re-plans asked by reports; a reconcile that started after the last of them answers them all. */
  private replansRequested = 0;
  private replansAnswered = 0;
  private replanTimer: NodeJS.Timeout | undefined;
  /** Listeners of the running apply, told of machines that reported for the first time. */
  private readonly newMachineListeners = new Set<() => void>();
  /** A machine reported for the first time since the re-plan timer was set. */
  private newMachineHeard = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private readonly releaseMemory: (() => void) | undefined;

  constructor(private readonly options: ControllerOptions) {
    this.releaseMemory = options.releaseMemory ?? createMemoryReleaser();
    this.scheduler = new PollScheduler({
      run: () => this.runOnce(),
      intervalMs: options.pollIntervalMs ?? 60_000,
      onError: (error) => this.retryAfterFailure(error),
    });
  }

  start(): void {
    this.scheduler.start();
    void this.scheduler.trigger();
  }

  /** A webhook arrived: look at the remote head now (to supersede an older apply) and sync as soon as possible. */
  trigger(): void {
    void this.noticeHead();
    void this.scheduler.trigger();
  }

  /**
   * A stored report changed what the current revision plans (a new machine, a hardware change): plan and apply
   * it again without waiting for a commit. Requests within `replanDelayMs` make one reconcile; one arriving
   * while a reconcile runs makes one more after it. A machine reporting for the first time (`newMachine`) does
   * not wait for that: the running apply plans it in as well (after the same delay, so a rack is one step).
   */
  requestReplan(news: { newMachine?: boolean } = {}): void {
    this.replansRequested += 1;
    if (news.newMachine) this.newMachineHeard = true;
    if (this.replanTimer || this.shutdown.signal.aborted) return;
    this.replanTimer = setTimeout(() => {
      this.replanTimer = undefined;
      if (this.newMachineHeard) for (const listener of [...this.newMachineListeners]) listener();
      this.newMachineHeard = false;
      void this.scheduler.trigger();
    }, this.options.replanDelayMs ?? DEFAULT_REPLAN_DELAY_MS);
    this.replanTimer.unref();
  }

  /** Stops polling; an in-flight step finishes and is journaled, nothing new starts. */
  async stop(): Promise<void> {
    this.shutdown.abort();
    clearTimeout(this.replanTimer);
    clearTimeout(this.retryTimer);
    await this.scheduler.stop();
  }

  get current(): { applying?: string; lastSummary?: RevisionSummary } {
    return { ...(this.applying ? { applying: formatRevision(this.applying) } : {}), ...(this.lastSummary ? { lastSummary: this.lastSummary } : {}) };
  }

  private async noticeHead(): Promise<void> {
    try {
      const head = await this.options.source.checkHead();
      if (!head) return;
      this.newestSeen = head.digest;
      if (this.applying && this.applying.digest !== head.digest) this.superseded?.abort();
    } catch (error) {
      this.options.log.warn({ err: describeError(error) }, 'remote head check failed');
    }
  }

  private async runOnce(): Promise<void> {
    if (this.shutdown.signal.aborted) return;
    const synced = await this.options.source.sync();
    const name = formatRevision(synced.revision);
    this.newestSeen = synced.revision.digest;
    const last = this.lastSummary?.revision === name ? this.lastSummary : undefined;
    const requested = this.replansRequested;
    // An invalid revision applies nothing, whatever the machines report.
    const replan = requested !== this.replansAnswered && last?.phase !== 'invalid';
    const unfinished = (last !== undefined && last.pending > 0) || !this.reconciledOnce.has(name) || replan;
    if (synced.changed || unfinished) await this.applyRevision(synced.revision, synced.treePath);
    this.replansAnswered = requested;
    this.failures = 0;
  }

  /**
   * A failed sync or reconcile is tried again soon, with backoff, rather than at the next poll: a git lock
   * still held by a command of a stopped controller, or a remote briefly away, must not park a revision for a
   * whole poll interval.
   */
  private retryAfterFailure(error: unknown): void {
    this.options.log.warn({ err: describeError(error), attempt: this.failures + 1 }, 'source sync or reconcile failed, will retry');
    const interval = this.options.pollIntervalMs ?? 60_000;
    const delay = Math.min(interval, (this.options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS) * 2 ** Math.min(this.failures, 16)) * (0.5 + Math.random() / 2);
    this.failures += 1;
    clearTimeout(this.retryTimer);
    if (this.shutdown.signal.aborted) return;
    this.retryTimer = setTimeout(() => void this.scheduler.trigger(), delay);
    this.retryTimer.unref();
  }

  private async applyRevision(revision: Revision, treePath: string): Promise<void> {
    const { options } = this;
    const name = formatRevision(revision);
    this.applying = revision;
    this.superseded = new AbortController();
    const signal = AbortSignal.any([this.shutdown.signal, this.superseded.signal]);
    const timer = setInterval(() => void this.noticeHead(), options.headCheckMs ?? 15_000);
    timer.unref();
    const started = process.hrtime.bigint();
    try {
      options.onRevisionStart?.(name);
      const commitMessage = await options.readCommitMessage(revision.digest);
      const isCurrent = (): boolean => this.newestSeen === undefined || this.newestSeen === revision.digest;
      const newMachines = {
        subscribe: (listener: () => void) => {
          this.newMachineListeners.add(listener);
          return () => void this.newMachineListeners.delete(listener);
        },
      };
      const reconciled = await options.reconcile({ revision: name, treePath, commitMessage }, { isCurrent, signal, newMachines });
      // Stopped for a newer commit with work left: final, so the commit's status never stays pending. A shutdown
      // is different: the same commit resumes at the next start.
      const newer = this.newestSeen;
      const superseded = reconciled.phase === 'applied' && reconciled.pending > 0 && !isCurrent() && !this.shutdown.signal.aborted && newer !== undefined;
      const summary = superseded ? markSuperseded(reconciled, newer) : reconciled;
      this.reconciledOnce.add(name);
      this.lastSummary = summary;
      options.metrics.observeReconcile(Number(process.hrtime.bigint() - started) / 1e9, summary.phase === 'invalid' ? 'invalid' : 'applied');
      await this.publish(revision, summary);
    } catch (error) {
      options.metrics.observeReconcile(Number(process.hrtime.bigint() - started) / 1e9, 'error');
      throw error;
    } finally {
      clearInterval(timer);
      this.applying = undefined;
      // A reconcile of a large fleet is a burst of garbage; the controller then idles until the next commit.
      this.releaseMemory?.();
    }
  }

  private async publish(revision: Revision, summary: RevisionSummary): Promise<void> {
    if (!this.options.publish) return;
    try {
      await this.options.publish(revision.digest, summary, renderSummaryNote(summary));
    } catch (error) {
      this.options.log.warn({ err: describeError(error) }, 'publishing the revision summary failed');
    }
  }
}
