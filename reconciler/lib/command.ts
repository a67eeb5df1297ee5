import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

/** What a finished command gives back. A non-zero exit is a result, not an exception. */
export interface CommandResult {
  /** The program's exit status; -1 when a signal ended it (timeout, abort, or from outside). */
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface CommandOptions {
  /** Extra environment variables, merged over the inherited environment; secrets go here, never into `args`. */
  env?: Record<string, string>;
  /** Written to the program's standard input, which is then closed. Without it, stdin reads as empty. */
  input?: string | Uint8Array;
  /** After this, the program gets SIGTERM, then SIGKILL if it has not exited within `KILL_GRACE_MS`. */
  timeoutMs?: number;
  cwd?: string;
  /** Aborting stops the program the same way a timeout does; the result then has `timedOut: false`. */
  signal?: AbortSignal;
}

/** Runs a program with an argument array (no shell). Drivers take one of these instead of spawning themselves. */
export type CommandRunner = (file: string, args: readonly string[], options?: CommandOptions) => Promise<CommandResult>;

/** Time a stopped program has to exit after SIGTERM before it is killed outright. */
export const KILL_GRACE_MS = 2000;

const ABORTED_BEFORE_START: CommandResult = { exitCode: -1, stdout: '', stderr: '', timedOut: false };

/** Gathers a stream's bytes; decoding once at the end keeps multi-byte characters split across chunks intact. */
function collectText(stream: Readable | null): () => string {
  const chunks: Buffer[] = [];
  stream?.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
}

function writeInput(child: ChildProcess, input: string | Uint8Array | undefined): void {
  if (input === undefined || !child.stdin) return;
  // A program may exit without reading its input; the resulting EPIPE is not the caller's concern.
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
}

/** Sends SIGTERM now and SIGKILL after the grace period, unless the program exits first. */
function stopChild(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  force.unref();
  child.once('exit', () => clearTimeout(force));
}

/**
 * A descendant that outlives a stopped program can hold its pipes open for ever; once the program itself has
 * exited after being stopped, what it wrote is all there is.
 */
function releasePipesOnExit(child: ChildProcess, wasStopped: () => boolean): void {
  child.once('exit', () => {
    if (!wasStopped()) return;
    child.stdout?.destroy();
    child.stderr?.destroy();
  });
}

/**
 * The default `CommandRunner`, on `node:child_process` (cheaper per call than a general-purpose wrapper, which
 * matters when hundreds of BMC calls each start a program). A program that cannot be started at all (ENOENT,
 * EACCES) is an error and rejects; everything else, including a timeout, is a result.
 * Example: `const { exitCode, stdout } = await runCommand('ipmitool', ['-V'], { timeoutMs: 5000 })`.
 */
export const runCommand: CommandRunner = (file, args, options = {}) => {
  if (options.signal?.aborted) return Promise.resolve({ ...ABORTED_BEFORE_START });
  return new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      shell: false,
    });
    const stdout = collectText(child.stdout);
    const stderr = collectText(child.stderr);
    let timedOut = false;
    let stopped = false;
    const stop = (): void => {
      stopped = true;
      stopChild(child);
    };
    const expire = (): void => {
      timedOut = true;
      stop();
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(expire, options.timeoutMs);
    options.signal?.addEventListener('abort', stop, { once: true });
    const cleanUp = (): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
    };
    releasePipesOnExit(child, () => stopped);
    child.once('error', (error) => {
      // 'error' without a pid means the program never started; after a start it only reports a failed kill.
      if (child.pid !== undefined) return;
      cleanUp();
      reject(error);
    });
    child.once('close', (code) => {
      cleanUp();
      resolve({ exitCode: code ?? -1, stdout: stdout(), stderr: stderr(), timedOut });
    });
    writeInput(child, options.input);
  });
};
