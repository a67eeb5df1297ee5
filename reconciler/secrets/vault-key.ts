import { randomBytes } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { SecretError } from './secret-error.js';

export const SECRET_KEY_ENV = 'PLINTH_SECRET_KEY';
export const VAULT_KEY_BYTES = 32;

export interface VaultKeySource {
  /** Where the key lives when the environment does not give one; created (mode 0600) if missing. */
  keyFile: string;
  env?: Readonly<Record<string, string | undefined>>;
}

function decodeKey(text: string, origin: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  // Buffer.from silently skips invalid characters, so a round trip is the only strict check.
  if (key.length !== VAULT_KEY_BYTES || key.toString('base64') !== trimmed) {
    throw new SecretError('SECRET_KEY_INVALID', `${origin} must hold ${VAULT_KEY_BYTES} bytes in base64`, { details: { origin } });
  }
  return key;
}

/** Creates the key file only if nobody else did: `wx` fails on an existing file instead of replacing its key. */
async function createKeyFile(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(`${randomBytes(VAULT_KEY_BYTES).toString('base64')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new SecretError('SECRET_KEY_INVALID', `cannot create the vault key file ${path}`, { cause: error, details: { keyFile: path } });
  }
}

/**
 * The vault's AES-256 key: from `PLINTH_SECRET_KEY` (base64) when set, else from the key file, which is
 * created with fresh random bytes and mode 0600 when missing. A key file others can read is refused.
 * Example: `const key = await loadVaultKey({ keyFile: '/var/lib/plinth/vault.key', env: process.env })`.
 */
export async function loadVaultKey(source: VaultKeySource): Promise<Buffer> {
  const fromEnv = source.env?.[SECRET_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return decodeKey(fromEnv, `the environment variable ${SECRET_KEY_ENV}`);
  await createKeyFile(source.keyFile);
  const info = await stat(source.keyFile);
  if ((info.mode & 0o077) !== 0) {
    throw new SecretError('SECRET_KEY_INSECURE', `the vault key file ${source.keyFile} is readable by others (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it`, {
      details: { keyFile: source.keyFile },
    });
  }
  return decodeKey(await readFile(source.keyFile, 'utf8'), `the key file ${source.keyFile}`);
}
