/**
 * How far a long operation has come, as pure code reports it through an optional callback: the phase it
 * is in and, when known, items done and in all. A new phase name ends the previous phase.
 *
 * @example onProgress?.({ phase: 'classify', total: 10_000, unit: 'nodes' })
 */
export interface ProgressUpdate {
  phase: string;
  done?: number;
  total?: number;
  /** What is counted: `files`, `manifests`, `nodes`. */
  unit?: string;
}

export type ReportProgress = (update: ProgressUpdate) => void;

export interface ProgressStream {
  write(text: string): unknown;
}

export interface ProgressReporterOptions {
  stream: ProgressStream;
  /** `redraw`: a live line rewritten in place (a terminal); `lines`: one plain line per finished phase (logs, CI). */
  mode: 'redraw' | 'lines';
  /** Milliseconds, any origin. */
  now?: () => number;
  /** Least time between two redraws of the live line: a tight loop reporting every item must not flood a terminal. */
  minRedrawMs?: number;
  /** Names the operation on the final line, e.g. `plan`. */
  label?: string;
}

interface Phase extends ProgressUpdate {
  startedAt: number;
}

/** Erase the terminal line and return to its start. */
const CLEAR_LINE = '\r\u001b[2K';

export function formatDuration(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`;
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** `classify 4,000/10,000 nodes`, or `load manifests 44 files` when only one count is known or all are done. */
export function describePhase(phase: ProgressUpdate): string {
  const unit = phase.unit ? ` ${phase.unit}` : '';
  if (phase.done !== undefined && phase.total !== undefined && phase.done !== phase.total) return `${phase.phase} ${formatCount(phase.done)}/${formatCount(phase.total)}${unit}`;
  const count = phase.done ?? phase.total;
  return count === undefined ? phase.phase : `${phase.phase} ${formatCount(count)}${unit}`;
}

/**
 * Shows a long operation's phases with counts and elapsed time on a stream (stderr): each finished phase
 * gets a line, the running one is redrawn in place at most every `minRedrawMs` (terminal mode only), and
 * `finish` writes a final line with the total time. It holds no timer: it draws only when told something.
 *
 * @example const progress = new ProgressReporter({ stream: process.stderr, mode: 'redraw', label: 'plan' });
 *          planDesiredState({ ...input, onProgress: progress.report }); progress.finish('done');
 */
export class ProgressReporter {
  private readonly now: () => number;
  private readonly startedAt: number;
  private current: Phase | undefined;
  private phases = 0;
  private lastDrawAt = Number.NEGATIVE_INFINITY;
  private liveShown = false;
  private ended = false;

  constructor(private readonly options: ProgressReporterOptions) {
    this.now = options.now ?? (() => performance.now());
    this.startedAt = this.now();
  }

  /** The callback handed to pure code; a bound function, so it can be passed around alone. */
  readonly report: ReportProgress = (update) => {
    if (this.ended) return;
    const now = this.now();
    if (this.current?.phase !== update.phase) {
      this.endPhase(now, '✓');
      this.current = { ...update, startedAt: now };
      this.drawLive(now, true);
      return;
    }
    this.current = { ...this.current, ...definedCounts(update) };
    this.drawLive(now, false);
  };

  /** Erases the live line so that other text (an error message) can be written to the same terminal. */
  clear(): void {
    if (!this.liveShown) return;
    this.options.stream.write(CLEAR_LINE);
    this.liveShown = false;
  }

  /** Ends the running phase and writes the final line; later calls and updates are ignored. */
  finish(outcome: 'done' | 'failed'): void {
    if (this.ended) return;
    const now = this.now();
    const failedIn = outcome === 'failed' ? this.current?.phase : undefined;
    this.endPhase(now, outcome === 'done' ? '✓' : '✗');
    this.ended = true;
    const label = this.options.label ? `${this.options.label}: ` : '';
    const total = formatDuration(now - this.startedAt);
    const text = outcome === 'done' ? `${label}done in ${total} (${this.phases} phases)` : `${label}failed after ${total}${failedIn ? ` in ${failedIn}` : ''}`;
    this.options.stream.write(`${text}\n`);
  }

  private endPhase(now: number, mark: string): void {
    const phase = this.current;
    if (!phase) return;
    this.clear();
    this.phases += 1;
    const prefix = this.options.mode === 'redraw' ? `${mark} ` : '';
    this.options.stream.write(`${prefix}${describePhase(phase)} (${formatDuration(now - phase.startedAt)})\n`);
    this.current = undefined;
  }

  private drawLive(now: number, force: boolean): void {
    const phase = this.current;
    if (this.options.mode !== 'redraw' || !phase) return;
    if (!force && now - this.lastDrawAt < (this.options.minRedrawMs ?? 100)) return;
    this.lastDrawAt = now;
    this.options.stream.write(`${CLEAR_LINE}… ${describePhase(phase)} ${formatDuration(now - phase.startedAt)}`);
    this.liveShown = true;
  }
}

function definedCounts(update: ProgressUpdate): Partial<ProgressUpdate> {
  return {
    ...(update.done === undefined ? {} : { done: update.done }),
    ...(update.total === undefined ? {} : { total: update.total }),
    ...(update.unit === undefined ? {} : { unit: update.unit }),
  };
}
