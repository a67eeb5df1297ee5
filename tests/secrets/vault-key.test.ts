import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVaultKey, SECRET_KEY_ENV } from '../../reconciler/secrets/vault-key.js';

describe('vault key', () => {
  let dir: string;
  let keyFile: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-key-'));
    keyFile = join(dir, 'vault.key');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a missing key file with mode 0600 and 32 random bytes, then reuses it', async () => {
    const key = await loadVaultKey({ keyFile, env: {} });
    expect(key).toHaveLength(32);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect((await loadVaultKey({ keyFile, env: {} })).equals(key)).toBe(true);
  });

  it('takes the key from PLINTH_SECRET_KEY and then creates no file', async () => {
    const encoded = randomBytes(32).toString('base64');
    const key = await loadVaultKey({ keyFile, env: { [SECRET_KEY_ENV]: encoded } });
    expect(key.toString('base64')).toBe(encoded);
    await expect(stat(keyFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a key of the wrong length without echoing it', async () => {
    const encoded = randomBytes(16).toString('base64');
    const error = await loadVaultKey({ keyFile, env: { [SECRET_KEY_ENV]: encoded } }).catch((caught: unknown) => caught as Error);
    expect(error).toMatchObject({ code: 'SECRET_KEY_INVALID' });
    expect(String((error as Error).message)).not.toContain(encoded);
  });

  it('refuses a key file that others can read', async () => {
    await loadVaultKey({ keyFile, env: {} });
    await chmod(keyFile, 0o644);
    await expect(loadVaultKey({ keyFile, env: {} })).rejects.toMatchObject({ code: 'SECRET_KEY_INSECURE' });
    expect((await readFile(keyFile, 'utf8')).trim()).toHaveLength(44);
  });
});
