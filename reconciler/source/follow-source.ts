import { PollScheduler } from './poll-scheduler.js';
import type { Source, SyncResult } from './types.js';

export interface FollowSourceOptions {
  source: Source;
  /**
   * Called with each new revision. The tree at `treePath` stays as it is only until this returns (the
   * next sync may check out a newer commit), so read the manifests here and hand the work on.
   */
  onRevision: (result: SyncResult) => Promise<void>;
  onError?: (error: unknown) => void;
  intervalMs?: number;
  jitterRatio?: number;
}

export interface SourceFollower {
  /** For the webhook: ask for a sync now; bursts coalesce and syncs never overlap. */
  trigger(): void;
  stop(): Promise<void>;
}

/**
 * Polls a source (interval + jitter) and on demand, and calls `onRevision` whenever the head moved.
 *
 * @example const follower = followSource({ source, onRevision: loadAndPlan }); hookRoutes({ ..., trigger: follower.trigger })
 */
export function followSource(options: FollowSourceOptions): SourceFollower {
  const scheduler = new PollScheduler({
    run: async () => {
      const result = await options.source.sync();
      if (result.changed) await options.onRevision(result);
    },
    ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    ...(options.jitterRatio === undefined ? {} : { jitterRatio: options.jitterRatio }),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  scheduler.start();
  void scheduler.trigger(); // the first sync happens at start, not one interval later
  return { trigger: () => void scheduler.trigger(), stop: () => scheduler.stop() };
}
