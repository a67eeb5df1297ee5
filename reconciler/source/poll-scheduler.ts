export interface PollSchedulerOptions {
  /** One sync; errors are reported to `onError` and the schedule carries on. */
  run: () => Promise<void>;
  intervalMs?: number;
  /** Fraction of the interval added at random, so many controllers do not hit one forge in step. */
  jitterRatio?: number;
  random?: () => number;
  onError?: (error: unknown) => void;
  setTimer?: (callback: () => void, ms: number) => NodeJS.Timeout;
  clearTimer?: (timer: NodeJS.Timeout) => void;
}

export const DEFAULT_POLL_INTERVAL_MS = 60_000;

/**
 * Runs `run` on an interval with jitter and on demand. Never two runs at once: a trigger during a run
 * is remembered (bursts coalesce into one extra run), which is what a webhook storm needs.
 */
export class PollScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private pending = false;
  private stopped = true;

  constructor(private readonly options: PollSchedulerOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Asks for a sync as soon as possible; returns when the run that will see this request has finished. */
  trigger(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.pending = true;
      return this.running;
    }
    this.running = this.loop();
    return this.running;
  }

  /** Stops the schedule and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) (this.options.clearTimer ?? clearTimeout)(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async loop(): Promise<void> {
    if (this.timer) (this.options.clearTimer ?? clearTimeout)(this.timer);
    this.timer = undefined;
    try {
      do {
        this.pending = false;
        try {
          await this.options.run();
        } catch (error) {
          this.options.onError?.(error);
        }
      } while (this.pending && !this.stopped);
    } finally {
      this.running = undefined;
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    const interval = this.options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    const jitter = interval * (this.options.jitterRatio ?? 0.1) * (this.options.random ?? Math.random)();
    const timer = (this.options.setTimer ?? setTimeout)(() => void this.trigger(), interval + jitter);
    timer.unref?.();
    this.timer = timer;
  }
}
