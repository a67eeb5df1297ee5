import { describeError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { renderSummaryNote, type RevisionSummary } from '../report/summary.js';
import { PollScheduler } from '../source/poll-scheduler.js';
import { formatRevision, type Revision } from '../source/revision.js';
import type { Source } from '../source/types.js';
import type { ControllerMetrics } from './metrics.js';
import type { RevisionInput } from './reconcile-revision.js';

export interface ControllerOptions {
  source: Source;
  /** The commit message of `sha` (approval trailers live there). */
  readCommitMessage: (sha: string) => Promise<string>;
  reconcile: (input: RevisionInput, control: { isCurrent: () => boolean; signal: AbortSignal }) => Promise<RevisionSummary>;
  /** Publishes a summary on its commit (git note, forge status); failures are logged, never block reconciling. */
  publish?: (sha: string, summary: RevisionSummary, note: string) => Promise<void>;
  metrics: ControllerMetrics;
  log: Logger;
  pollIntervalMs?: number;
  /** How often the remote head is checked while a revision is being applied (newest commit wins). */
  headCheckMs?: number;
  /** Called when the first driver action of a revision starts (benchmarks, logs). */
  onRevisionStart?: (revision: string) => void;
}

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

  constructor(private readonly options: ControllerOptions) {
    this.scheduler = new PollScheduler({
      run: () => this.runOnce(),
      intervalMs: options.pollIntervalMs ?? 60_000,
      onError: (error) => options.log.warn({ err: describeError(error) }, 'source sync failed'),
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

  /** Stops polling; an in-flight step finishes and is journaled, nothing new starts. */
  async stop(): Promise<void> {
    this.shutdown.abort();
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
    const unfinished = (this.lastSummary?.revision === name && this.lastSummary.pending > 0) || !this.reconciledOnce.has(name);
    if (!synced.changed && !unfinished) return;
    await this.applyRevision(synced.revision, synced.treePath);
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
      const summary = await options.reconcile({ revision: name, treePath, commitMessage }, { isCurrent, signal });
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
