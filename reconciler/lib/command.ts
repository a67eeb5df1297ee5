import { execa } from 'execa';

/** What a finished command gives back. A non-zero exit is a result, not an exception. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface CommandOptions {
  /** Extra environment variables; secrets go here, never into `args`. */
  env?: Record<string, string>;
  input?: string | Uint8Array;
  timeoutMs?: number;
  cwd?: string;
  signal?: AbortSignal;
}

/** Runs a program with an argument array (no shell). Drivers take one of these instead of importing execa. */
export type CommandRunner = (file: string, args: readonly string[], options?: CommandOptions) => Promise<CommandResult>;

export const runCommand: CommandRunner = async (file, args, options = {}) => {
  const result = await execa(file, args, {
    env: options.env,
    extendEnv: true,
    input: options.input,
    timeout: options.timeoutMs,
    cwd: options.cwd,
    cancelSignal: options.signal,
    reject: false,
    stripFinalNewline: false,
    encoding: 'utf8',
  });
  if (result.failed && result.exitCode === undefined && !result.timedOut && !result.isCanceled) {
    // The program could not be started at all (ENOENT, EACCES): that is an error, not a result.
    throw result.cause instanceof Error ? result.cause : new Error(result.shortMessage);
  }
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    timedOut: result.timedOut,
  };
};
