/**
 * Typed errors: every failure plinth raises carries a stable `code` (branch on it, never on message text),
 * a `transient` flag (only transient errors are retried) and the `cause` it wraps.
 * Mapping errors to outcomes (exit codes, HTTP statuses, commit statuses) happens once per entry point.
 */
export interface PlinthErrorOptions {
  cause?: unknown;
  transient?: boolean;
  /** Context for operators and logs; must never contain secrets. */
  details?: Record<string, unknown>;
}

export class PlinthError extends Error {
  readonly code: string;
  readonly transient: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: PlinthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlinthError';
    this.code = code;
    this.transient = options.transient ?? false;
    this.details = options.details ?? {};
  }
}

/** Bad command-line usage or unreadable input: the CLI exits 2. */
export class UsageError extends PlinthError {
  constructor(message: string, options: PlinthErrorOptions = {}) {
    super('USAGE', message, options);
    this.name = 'UsageError';
  }
}

export function isPlinthError(error: unknown): error is PlinthError {
  return error instanceof PlinthError;
}

export function isTransient(error: unknown): boolean {
  return isPlinthError(error) && error.transient;
}

/** A message for an unknown thrown value, without its stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
