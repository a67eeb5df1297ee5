import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** Starts a long-lived program with piped stdio; passed in so callers can start it elsewhere (a namespace). */
export type ProcessStarter = (
  file: string,
  args: readonly string[],
  options: { env: Record<string, string> },
) => ChildProcessWithoutNullStreams;

/** The default `ProcessStarter`: `node:child_process`, the environment inherited and extended. */
export const startProcess: ProcessStarter = (file, args, options) =>
  spawn(file, args, { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'], shell: false });

/** What one command printed, without the prompt and the echo of the command line. */
export interface ShellAnswer {
  stdout: string;
  stderr: string;
}

/**
 * Why a session gave no answer. `start`: the program exited before its first prompt (the RMCP+ session could not
 * be opened; its output says why). `exited`: it died during a command. `timeout`/`aborted`: plinth killed it.
 */
export class ShellFailure extends Error {
  constructor(
    readonly kind: 'start' | 'exited' | 'timeout' | 'aborted',
    readonly output: ShellAnswer,
  ) {
    super(`ipmitool shell ${kind}`);
    this.name = 'ShellFailure';
  }
}

export interface ShellSession {
  readonly pid: number;
  readonly alive: boolean;
  /** Runs one command and resolves with its output once ipmitool prompts again. One command at a time. */
  run(command: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<ShellAnswer>;
  /** Asks ipmitool to close the RMCP+ session and exit; kills it after `graceMs`. */
  close(graceMs: number): Promise<void>;
  /** Ends the process at once (a hung or confused session), without closing the session on the BMC. */
  kill(): void;
}

/** ipmitool's shell prompt; with stdin a pipe, readline prints it, then echoes each line it reads. */
const PROMPT = 'ipmitool> ';

interface Waiter {
  resolve: (answer: ShellAnswer) => void;
  reject: (failure: ShellFailure) => void;
  kind: 'start' | 'exited';
}

/** Removes the echoed command line readline writes before a command's own output. */
function dropEcho(stdout: string, line: string): string {
  return stdout.startsWith(`${line}\n`) ? stdout.slice(line.length + 1) : stdout;
}

/**
 * Starts `ipmitool ... shell` and resolves once it prompts, i.e. once the RMCP+ session is open. ipmitool opens the
 * session before its first prompt and exits when that fails, so a refused password is known here, in one attempt.
 */
export function openShellSession(
  start: ProcessStarter,
  file: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ShellSession> {
  if (signal?.aborted) return Promise.reject(new ShellFailure('aborted', { stdout: '', stderr: '' }));
  const child = start(file, args, { env });
  let stdout = '';
  let stderr = '';
  let exited = false;
  let closed = false;
  let waiter: Waiter | undefined;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  // Writing to a session that just died fails with EPIPE; its exit is reported through the waiter instead.
  child.stdin.on('error', () => undefined);

  function settle(): void {
    const end = stdout.indexOf(PROMPT);
    if (end < 0 || !waiter) return;
    const current = waiter;
    // ipmitool writes its errors to stderr before it prompts again; both pipes are then readable, and one
    // turn of the event loop reads both, so the answer is complete after it.
    setImmediate(() => {
      if (waiter !== current) return;
      const answer = { stdout: stdout.slice(0, end), stderr };
      stdout = stdout.slice(end + PROMPT.length);
      stderr = '';
      waiter = undefined;
      current.resolve(answer);
    });
  }

  function fail(kind: ShellFailure['kind']): void {
    const current = waiter;
    waiter = undefined;
    current?.reject(new ShellFailure(kind, { stdout, stderr }));
  }

  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    settle();
  });
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.once('exit', () => {
    exited = true;
  });
  // 'close' comes after the pipes are drained, so the failure carries everything ipmitool printed.
  child.once('close', () => {
    closed = true;
    fail(waiter?.kind ?? 'exited');
  });

  /**
   * An idle session must not keep Node running (a caller that never calls `close` still exits; setpriv's
   * parent-death signal then ends ipmitool); a session answering a call must, or Node could exit mid-call.
   */
  function hold(busy: boolean): void {
    for (const handle of [child, child.stdin, child.stdout, child.stderr] as Array<{ ref?: () => void; unref?: () => void }>) {
      if (busy) handle.ref?.();
      else handle.unref?.();
    }
  }

  function kill(): void {
    if (!exited) child.kill('SIGKILL');
  }

  function expectPrompt(kind: Waiter['kind'], ms: number, signal?: AbortSignal): Promise<ShellAnswer> {
    return new Promise<ShellAnswer>((resolve, reject) => {
      const stop = (reason: 'timeout' | 'aborted') => () => {
        fail(reason);
        kill();
      };
      const onTimeout = stop('timeout');
      const onAbort = stop('aborted');
      const timer = setTimeout(onTimeout, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        hold(false);
      };
      hold(true);
      waiter = {
        kind,
        resolve: (answer) => (done(), resolve(answer)),
        reject: (failure) => (done(), reject(failure)),
      };
      if (closed) fail(kind);
      else settle();
    });
  }

  const session: ShellSession = {
    get pid() {
      return child.pid ?? -1;
    },
    get alive() {
      return !exited;
    },
    async run(command, ms, signal) {
      if (waiter) throw new Error('ipmitool shell: one command at a time');
      if (command.some((word) => /\s/.test(word) || word === '')) throw new Error('ipmitool shell: invalid word');
      if (signal?.aborted) throw new ShellFailure('aborted', { stdout: '', stderr: '' });
      const line = command.join(' ');
      // What ipmitool printed while idle (a failed keep-alive) belongs to no command.
      stderr = '';
      const answer = expectPrompt('exited', ms, signal);
      child.stdin.write(`${line}\n`);
      const { stdout: out, stderr: err } = await answer;
      return { stdout: dropEcho(out, line), stderr: err };
    },
    async close(graceMs) {
      if (closed) return;
      hold(true);
      const gone = new Promise<void>((resolve) => child.once('close', () => resolve()));
      const force = setTimeout(kill, graceMs);
      child.stdin.end('exit\n');
      await gone;
      clearTimeout(force);
    },
    kill,
  };

  return new Promise<ShellSession>((resolve, reject) => {
    child.once('error', (error) => {
      // Without a pid the program never started (ENOENT): nothing to wait for.
      if (child.pid !== undefined) return;
      reject(error);
      fail('start');
    });
    expectPrompt('start', timeoutMs, signal).then(() => resolve(session), reject);
  });
}
