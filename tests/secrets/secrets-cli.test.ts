import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSecretsCertificates, runSecretsList, runSecretsRotate, type SecretsIo } from '../../reconciler/cli/commands/secrets.js';
import { ensureClusterAuthority } from '../../reconciler/pki/cluster-pki.js';
import { openFileVault } from '../../reconciler/secrets/file-vault.js';
import { loadVaultKey } from '../../reconciler/secrets/vault-key.js';

const VALUE = 'cli-canary-3f9c1e0b77';

describe('plinth secrets', () => {
  let dir: string;
  let flags: { vault: string; cluster: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-secrets-cli-'));
    flags = { vault: join(dir, 'pub1.vault'), cluster: 'pub1' };
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function capture(): SecretsIo & { output: () => string } {
    let text = '';
    return { write: (chunk) => void (text += chunk), readInput: () => Promise.resolve(''), env: {}, output: () => text };
  }

  it('stores a value read from standard input, creating the key file, and never echoes it', async () => {
    const result = await execa(process.execPath, ['--import', 'tsx', 'reconciler/cli/main.ts', 'secrets', '--vault', flags.vault, '--cluster', 'pub1', 'set', 'bmc/controller-3'], {
      input: `${VALUE}\n`,
      reject: false,
      timeout: 60_000,
      env: { PLINTH_SECRET_KEY: '' },
    });
    expect({ exitCode: result.exitCode, stdout: result.stdout }).toEqual({ exitCode: 0, stdout: 'stored bmc/controller-3' });
    const vault = await openFileVault({ path: flags.vault, cluster: flags.cluster, key: await loadVaultKey({ keyFile: join(dir, 'vault.key') }) });
    expect(vault.get('bmc/controller-3')).toBe(VALUE);
    expect(await readFile(flags.vault, 'utf8')).not.toContain(VALUE);
  });

  it('lists names and kinds without values, and rotates a generated secret', async () => {
    const key = await loadVaultKey({ keyFile: join(dir, 'vault.key') });
    const vault = await openFileVault({ path: flags.vault, cluster: flags.cluster, key });
    const before = await vault.ensure('rabbitmq_password', { kind: 'password' });
    const rotation = capture();
    await runSecretsRotate('rabbitmq_password', flags, rotation);
    const listing = capture();
    await runSecretsList(flags, listing);
    expect(listing.output()).toMatch(/^bmc\/controller-3\timported\t\S+\nrabbitmq_password\tpassword\t\S+\t\(1 previous kept\)\n$/);
    expect(listing.output()).not.toContain(VALUE);
    const reopened = await openFileVault({ path: flags.vault, cluster: flags.cluster, key });
    expect(reopened.get('rabbitmq_password')).not.toBe(before);
    expect(reopened.previous('rabbitmq_password')).toEqual([before]);
  });

  it('lists certificates and exits 1 when some are due for renewal', async () => {
    const key = await loadVaultKey({ keyFile: join(dir, 'vault.key') });
    await ensureClusterAuthority({ vault: await openFileVault({ path: flags.vault, cluster: flags.cluster, key }), cluster: 'pub1', clock: () => new Date(), validity: { rootDays: 3650, intermediateDays: 20, leafDays: 10 } });
    const now = capture();
    expect(await runSecretsCertificates({ ...flags, renewalMarginDays: '10' }, now)).toBe(0);
    const listing = capture();
    expect(await runSecretsCertificates(flags, listing)).toBe(1);
    expect(listing.output()).toMatch(/^intermediate-ca\t\S+\trenew \(due\)\nroot-ca\t\S+\n$/);
  });
});
