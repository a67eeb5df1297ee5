import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { SecretReference } from '../manifests/kinds/index.js';
import { SecretError } from './secret-error.js';
import type { SecretVault } from './types.js';

export interface SecretReferenceDeps {
  env: Readonly<Record<string, string | undefined>>;
  /** Where relative `{ file }` references are read from. */
  secretsDir: string;
  vault?: Pick<SecretVault, 'get'>;
  readText?: (path: string) => Promise<string>;
}

/** Secret files usually end with the newline an editor or `echo` adds; it is not part of the secret. */
function stripFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function requireValue(value: string | undefined, what: string, code: 'SECRET_ENV_MISSING' | 'SECRET_NOT_FOUND' | 'SECRET_EMPTY', details: Record<string, unknown>): string {
  if (value === undefined) throw new SecretError(code, `${what} is not set`, { details });
  if (value === '') throw new SecretError('SECRET_EMPTY', `${what} is empty`, { details });
  return value;
}

async function readSecretFile(reference: { file: string }, deps: SecretReferenceDeps): Promise<string> {
  const path = isAbsolute(reference.file) ? reference.file : join(deps.secretsDir, reference.file);
  const read = deps.readText ?? ((file: string) => readFile(file, 'utf8'));
  let text: string;
  try {
    text = await read(path);
  } catch (error) {
    // Only the errno code travels: the cause is kept out so nothing read from the file can leak.
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new SecretError('SECRET_FILE_UNREADABLE', `secret file ${path} cannot be read (${reason})`, { details: { file: path, reason } });
  }
  return requireValue(stripFinalNewline(text), `secret file ${path}`, 'SECRET_EMPTY', { file: path });
}

/**
 * Reads the secret a manifest refers to (`passwordFrom: { env } | { file } | { store }`). Errors name the
 * variable, file or store key, never a value.
 * Example: `await resolveSecretReference({ env: 'BMC_PASSWORD' }, { env: process.env, secretsDir, vault })`.
 */
export async function resolveSecretReference(reference: SecretReference, deps: SecretReferenceDeps): Promise<string> {
  if ('env' in reference) {
    return requireValue(deps.env[reference.env], `environment variable ${reference.env}`, 'SECRET_ENV_MISSING', { env: reference.env });
  }
  if ('file' in reference) return readSecretFile(reference, deps);
  if (deps.vault === undefined) {
    throw new SecretError('SECRET_NOT_FOUND', `secret ${reference.store} is in the store, but no vault is open`, { details: { store: reference.store } });
  }
  return requireValue(deps.vault.get(reference.store), `stored secret ${reference.store}`, 'SECRET_NOT_FOUND', { store: reference.store });
}
