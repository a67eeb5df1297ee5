import { setTimeout as sleep } from 'node:timers/promises';
import { describeError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { STATUS_DRIVERS, statusContext, type ForgeKind } from '../report/forges/index.js';
import { isFullSha } from '../source/revision.js';
import type { CommitStatusDriver, DesiredStatus } from '../report/forges/types.js';
import { StatusReporter } from '../report/status-reporter.js';
import { decideSummaryState, renderStatusDescription, type RevisionSummary } from '../report/summary.js';
import { parseRevision } from '../source/revision.js';
import type { ControllerOptions } from './controller.js';

/** Where commit statuses go. The token comes from the environment and is sent only in the Authorization header. */
export interface ForgeSettings {
  kind: ForgeKind;
  /** API root, e.g. `https://api.github.com`. */
  baseUrl: string;
  /** `owner/repo` (GitHub, Gitea) or a project id or path (GitLab). */
  project: string;
  token: string;
  /** A link shown with each status (a dashboard, `/v1/status`). */
  targetUrl?: string;
}

/** Turns the controller's revision events into commit statuses, queued in the background. */
export interface StatusPublisher {
  /** `pending` as soon as a revision is picked up, before it is validated and planned. */
  markPickedUp(revision: string): void;
  /** The state of a reconciled revision: final once its apply has finished, `pending` while actions remain. */
  publishSummary(sha: string, summary: RevisionSummary): void;
  /**
   * Resolves once every queued status was sent, or after `withinMs` (a forge that is down must not hold up a
   * shutdown), saying then how many were left. A commit's last status is not lost to a restart that follows it.
   */
  flush(withinMs: number): Promise<void>;
}

/**
 * The context is the configured cluster name, not the one a commit declares: a pending status is posted
 * before the commit is read, and the final one must replace it under the same context.
 */
export function createStatusPublisher(driver: CommitStatusDriver, options: { cluster: string; targetUrl?: string; log: Logger }): StatusPublisher {
  const log = options.log.child({ forge: driver.forge });
  const reporter = new StatusReporter({ driver, log });
  const context = statusContext(options.cluster);
  const link = options.targetUrl === undefined ? {} : { targetUrl: options.targetUrl };
  const queue = (status: DesiredStatus): void => reporter.report(status);
  return {
    markPickedUp(revision) {
      const { algorithm, digest } = parseRevision(revision);
      // A watched working directory has no commit a forge could show a status on.
      if (algorithm !== 'sha1') return;
      queue({ sha: digest, state: 'pending', context, description: `picked up ${digest.slice(0, 12)}: validating and planning`, ...link });
    },
    publishSummary(sha, summary) {
      // A watched working directory has no commit a forge could show a status on.
      if (!isFullSha(sha)) return;
      queue({ sha, state: decideSummaryState(summary), context, description: renderStatusDescription(summary), ...link });
    },
    async flush(withinMs) {
      const timeout = new AbortController();
      const sent = reporter.whenIdle().then(() => true);
      const gaveUp = sleep(withinMs, false, { signal: timeout.signal }).catch(() => false);
      const delivered = await Promise.race([sent, gaveUp]);
      timeout.abort();
      if (!delivered) log.warn({ undelivered: reporter.pending, waitedMs: withinMs }, 'commit statuses not delivered before shutdown');
    },
  };
}

/**
 * The controller's options with commit statuses added to its hooks (pending at pick-up, the summary's
 * state after apply), keeping the hooks already set, and how to deliver what is still queued at shutdown.
 * Without forge settings the options are unchanged.
 *
 * @example const { options: withStatuses, flushStatuses } = withCommitStatuses({ forge, cluster: 'par1' }, log, options)
 */
export function withCommitStatuses(
  settings: { forge?: ForgeSettings; cluster: string },
  log: Logger,
  options: ControllerOptions,
): { options: ControllerOptions; flushStatuses: (withinMs: number) => Promise<void> } {
  const { forge } = settings;
  if (!forge) return { options, flushStatuses: async () => undefined };
  const driver = STATUS_DRIVERS[forge.kind]({ baseUrl: forge.baseUrl, project: forge.project, token: forge.token });
  const statuses = createStatusPublisher(driver, { cluster: settings.cluster, log, ...(forge.targetUrl === undefined ? {} : { targetUrl: forge.targetUrl }) });
  const { onRevisionStart, publish } = options;
  const wrapped: ControllerOptions = {
    ...options,
    onRevisionStart: (revision) => {
      try {
        statuses.markPickedUp(revision);
      } catch (error) {
        log.warn({ err: describeError(error) }, 'pending commit status not queued');
      }
      onRevisionStart?.(revision);
    },
    publish: async (sha, summary, note) => {
      statuses.publishSummary(sha, summary);
      await publish?.(sha, summary, note);
    },
  };
  return { options: wrapped, flushStatuses: (withinMs) => statuses.flush(withinMs) };
}
