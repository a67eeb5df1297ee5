import type { Command } from 'commander';
import { ProgressReporter, type ProgressStream } from './progress.js';

export interface ProgressFlags {
  progress?: boolean;
  quiet?: boolean;
}

/** `--progress` and `--quiet` on a command that can run for seconds. */
export function addProgressOptions(command: Command): Command {
  return command
    .option('--progress', 'show progress on stderr even when it is not a terminal (plain lines)')
    .option('-q, --quiet', 'no progress on stderr, even on a terminal');
}

/**
 * A progress reporter on `stream` (stderr) when it is a terminal or `--progress` asks for one; none with
 * `--quiet`. Progress never goes to stdout, which CI parses.
 *
 * @example const progress = startProgress(flags, process.stderr, 'plan');
 */
export function startProgress(flags: ProgressFlags, stream: ProgressStream & { isTTY?: boolean }, label: string): ProgressReporter | undefined {
  if (flags.quiet) return undefined;
  if (stream.isTTY) return new ProgressReporter({ stream, mode: 'redraw', label });
  return flags.progress ? new ProgressReporter({ stream, mode: 'lines', label }) : undefined;
}

/**
 * The writers a command hands to its run function when a reporter may be drawing on stderr: output and
 * messages first end or erase the live line, so the two never mix on one terminal line.
 */
export function writersAround(progress: ProgressReporter | undefined): { write: (text: string) => void; warn: (text: string) => void } {
  return {
    write: (text) => {
      progress?.finish('done');
      process.stdout.write(text);
    },
    warn: (text) => {
      progress?.clear();
      process.stderr.write(text);
    },
  };
}
