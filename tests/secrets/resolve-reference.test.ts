import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileVault } from '../../reconciler/secrets/file-vault.js';
import { resolveSecretReference } from '../../reconciler/secrets/resolve-reference.js';
import type { SecretVault } from '../../reconciler/secrets/types.js';

const VALUE = 'Zq8-known-bmc-secret-5d1e';

describe('resolveSecretReference', () => {
  let dir: string;
  let vault: SecretVault;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-ref-'));
    await writeFile(join(dir, 'bmc-password'), `${VALUE}\n`, { mode: 0o600 });
    await writeFile(join(dir, 'empty'), '\n');
    vault = await openFileVault({ path: join(dir, 'pub1.vault'), cluster: 'pub1', key: randomBytes(32) });
    await vault.set('bmc/par1', VALUE);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads env, file (final newline dropped, relative to the secrets folder) and store references', async () => {
    const deps = { env: { BMC_PASSWORD: VALUE }, secretsDir: dir, vault };
    expect(await resolveSecretReference({ env: 'BMC_PASSWORD' }, deps)).toBe(VALUE);
    expect(await resolveSecretReference({ file: 'bmc-password' }, deps)).toBe(VALUE);
    expect(await resolveSecretReference({ file: join(dir, 'bmc-password') }, deps)).toBe(VALUE);
    expect(await resolveSecretReference({ store: 'bmc/par1' }, deps)).toBe(VALUE);
  });

  it('names the missing variable, file or key in typed errors', async () => {
    const deps = { env: {}, secretsDir: dir, vault };
    await expect(resolveSecretReference({ env: 'BMC_PASSWORD' }, deps)).rejects.toMatchObject({ code: 'SECRET_ENV_MISSING', message: 'environment variable BMC_PASSWORD is not set' });
    await expect(resolveSecretReference({ file: 'absent' }, deps)).rejects.toMatchObject({ code: 'SECRET_FILE_UNREADABLE', details: { reason: 'ENOENT' } });
    await expect(resolveSecretReference({ file: 'empty' }, deps)).rejects.toMatchObject({ code: 'SECRET_EMPTY' });
    await expect(resolveSecretReference({ store: 'bmc/other' }, deps)).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
    await expect(resolveSecretReference({ store: 'bmc/par1' }, { env: {}, secretsDir: dir })).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
  });

  it('never puts a value in an error, even when a file is not what was expected', async () => {
    const errors: unknown[] = [];
    await resolveSecretReference({ file: dir }, { env: {}, secretsDir: dir }).catch((error: unknown) => errors.push(error));
    await resolveSecretReference({ env: 'EMPTY' }, { env: { EMPTY: '' }, secretsDir: dir }).catch((error: unknown) => errors.push(error));
    expect(errors).toHaveLength(2);
    for (const error of errors) expect(JSON.stringify({ message: (error as Error).message, details: (error as { details: unknown }).details })).not.toContain(VALUE);
  });
});
