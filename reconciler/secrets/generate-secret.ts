import { randomBytes } from 'node:crypto';
import { SecretError } from './secret-error.js';
import { generateSshKey } from './ssh-key.js';
import type { SecretSpec } from './types.js';

export const DEFAULT_PASSWORD_LENGTH = 32;
export const DEFAULT_PASSWORD_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const DEFAULT_KEY_BYTES = 32;

/** Picks characters uniformly: bytes that would bias the modulo towards the first characters are thrown away. */
function generatePassword(length: number, charset: string): string {
  const distinct = [...new Set(charset)];
  if (!Number.isInteger(length) || length < 12 || length > 4096) {
    throw new SecretError('SECRET_SPEC_INVALID', `a password length must be an integer from 12 to 4096, got ${length}`);
  }
  if (distinct.length < 10 || distinct.length > 256) {
    throw new SecretError('SECRET_SPEC_INVALID', `a password charset needs 10 to 256 distinct characters, got ${distinct.length}`);
  }
  const limit = 256 - (256 % distinct.length);
  let password = '';
  while (password.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && password.length < length) password += distinct[byte % distinct.length] ?? '';
    }
  }
  return password;
}

function generateHexKey(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 16 || bytes > 1024) {
    throw new SecretError('SECRET_SPEC_INVALID', `a key must have 16 to 1024 bytes, got ${bytes}`);
  }
  return randomBytes(bytes).toString('hex');
}

/**
 * Makes a fresh secret value from strong randomness (node:crypto). An SSH key pair is kept as its private
 * key (OpenSSH format); `describeSshPublicKey` derives the public line from it.
 * Example: `generateSecret({ kind: 'password', length: 40 })`.
 */
export function generateSecret(spec: SecretSpec): string {
  switch (spec.kind) {
    case 'password':
      return generatePassword(spec.length ?? DEFAULT_PASSWORD_LENGTH, spec.charset ?? DEFAULT_PASSWORD_CHARSET);
    case 'hex':
      return generateHexKey(spec.bytes ?? DEFAULT_KEY_BYTES);
    case 'ssh-ed25519':
      return generateSshKey();
    case 'imported':
      throw new SecretError('SECRET_SPEC_INVALID', 'an imported secret cannot be generated; set it with the vault');
  }
}

