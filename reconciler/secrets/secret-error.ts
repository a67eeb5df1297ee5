import { PlinthError, type PlinthErrorOptions } from '../lib/errors.js';

/** Stable codes of every failure of the secret vault and of secret references. */
export type SecretErrorCode =
  | 'SECRET_KEY_INVALID'
  | 'SECRET_KEY_INSECURE'
  | 'SECRET_KEY_MISMATCH'
  | 'SECRET_TAMPERED'
  | 'SECRET_VAULT_CORRUPT'
  | 'SECRET_VAULT_CLUSTER'
  | 'SECRET_NOT_FOUND'
  | 'SECRET_SPEC_INVALID'
  | 'SECRET_ENV_MISSING'
  | 'SECRET_FILE_UNREADABLE'
  | 'SECRET_EMPTY';

/**
 * A vault or reference failure. Messages and details name secrets, variables and files, never a value:
 * they end up in logs, plans and commit statuses.
 */
export class SecretError extends PlinthError {
  declare readonly code: SecretErrorCode;

  constructor(code: SecretErrorCode, message: string, options: PlinthErrorOptions = {}) {
    super(code, message, options);
    this.name = 'SecretError';
  }
}

export function isSecretError(error: unknown): error is SecretError {
  return error instanceof SecretError;
}
