import { createHash } from 'node:crypto';
import { bmcKey } from '../address.js';
import type { BmcError } from '../errors.js';
import { classifyFailure, dropVerboseNoise } from './classify.js';
import type { SessionPool } from './session-pool.js';
import { openShellSession, ShellFailure, type ProcessStarter, type ShellAnswer, type ShellSession } from './shell-session.js';

/** One ipmitool command and how to read its answer. */
export interface Invocation<T> {
  command: string[];
  /** Reads the answer; throws a `BMC_PROTOCOL` error on output it does not recognise. */
  parse: (stdout: string) => T;
  /**
   * Whether sending the command twice is harmless. Only such a command is sent again (on a fresh one-shot
   * process) after its session failed, since the BMC may have acted on the first send.
   */
  idempotent: boolean;
}

export interface SessionContext {
  pool: SessionPool;
  startProcess: ProcessStarter;
  program: string;
  /** ipmitool's options for this BMC, without the command. */
  args: string[];
  env: Record<string, string>;
  address: string;
  /** The pool's key: the BMC's host and port, the user, and a digest of the password (see `sessionKey`). */
  key: string;
  /** Runs the command once in its own ipmitool process and returns its stdout, or throws a `BmcError`. */
  runOnce: (command: string[], timeoutMs: number, signal?: AbortSignal) => Promise<string>;
}

/**
 * ipmitool exits on EOF only after spinning on its input; `setpriv --pdeathsig` makes the kernel kill it when
 * plinth itself dies, so no session outlives the controller whatever way it stops.
 */
const PARENT_DEATH_WRAPPER = ['--pdeathsig', 'KILL', '--'];

/**
 * Sessions are per BMC (`bmcKey`: however the address was written) and per credentials; the password enters the
 * key only as a digest.
 */
export function sessionKey(address: string, username: string, password: string): string {
  const digest = createHash('sha256').update(password).digest('hex');
  return `${bmcKey(address)}\n${username}\n${digest}`;
}

function failureResult(output: ShellAnswer, timedOut: boolean) {
  return { exitCode: timedOut ? -1 : 1, stdout: output.stdout, stderr: output.stderr, timedOut };
}

function toBmcError(failure: ShellFailure, operation: string, address: string): BmcError {
  return classifyFailure(failureResult(failure.output, failure.kind === 'timeout'), operation, address);
}

function openSession(context: SessionContext, timeoutMs: number, signal?: AbortSignal): Promise<ShellSession> {
  return openShellSession(context.startProcess, 'setpriv', [...PARENT_DEATH_WRAPPER, context.program, ...context.args, 'shell'], context.env, timeoutMs, signal);
}

type Outcome<T> = { value: T } | { retry: true } | { error: BmcError };

/** One command on the session; a failure that a fresh process might not repeat asks for a retry. */
async function attempt<T>(
  context: SessionContext,
  session: ShellSession,
  invocation: Invocation<T>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Outcome<T>> {
  const operation = invocation.command.join(' ');
  const discard = (): void => context.pool.discard(context.key, session);
  let answer: ShellAnswer;
  try {
    answer = await session.run(invocation.command, timeoutMs, signal);
  } catch (error) {
    if (!(error instanceof ShellFailure)) throw error;
    discard();
    if (error.kind === 'exited' && invocation.idempotent) return { retry: true };
    return { error: toBmcError(error, operation, context.address) };
  }
  // ipmitool's shell has no exit status per command: an error line, or an answer that does not parse, is the
  // failure. A stale session (the BMC expired or forgot it) answers that way too.
  if (dropVerboseNoise(answer.stderr).length === 0) {
    try {
      return { value: invocation.parse(answer.stdout) };
    } catch {
      // Garbage: fall through, the session is no longer trusted.
    }
  }
  discard();
  if (invocation.idempotent) return { retry: true };
  return { error: classifyFailure(failureResult(answer, false), operation, context.address) };
}

/**
 * Runs one command on the BMC's long-lived session, opening it when needed. A session that cannot be opened
 * fails the call with the reason ipmitool gave (a refused password is `BMC_AUTH` at once); one that dies, goes
 * stale or answers garbage is killed, and an idempotent command is sent once more on a one-shot process. The
 * call's timeout covers all of it.
 */
export async function callInSession<T>(
  context: SessionContext,
  invocation: Invocation<T>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const remaining = (): number => deadline - Date.now();
  const operation = invocation.command.join(' ');
  let outcome: Outcome<T>;
  try {
    outcome = await context.pool.use(
      context.key,
      () => openSession(context, remaining(), signal),
      (session) => attempt(context, session, invocation, remaining(), signal),
    );
  } catch (error) {
    if (!(error instanceof ShellFailure)) throw error;
    const failure = toBmcError(error, operation, context.address);
    // Output plinth cannot classify: this BMC may not cope with sessions; one-shot is what always worked.
    if (failure.code !== 'BMC_PROTOCOL' || error.kind !== 'start') throw failure;
    outcome = { retry: true };
  }
  if ('value' in outcome) return outcome.value;
  if ('error' in outcome) throw outcome.error;
  if (remaining() <= 0) {
    throw classifyFailure(failureResult({ stdout: '', stderr: '' }, true), operation, context.address);
  }
  return invocation.parse(await context.runOnce(invocation.command, remaining(), signal));
}
