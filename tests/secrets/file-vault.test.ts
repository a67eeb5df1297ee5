import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileVault } from '../../reconciler/secrets/file-vault.js';
import type { SecretError } from '../../reconciler/secrets/secret-error.js';

const DAY_MS = 24 * 3600 * 1000;

/** The typed error a promise rejects with, for asserting its code. */
async function rejectionOf(promise: Promise<unknown>): Promise<SecretError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as SecretError,
  );
}

describe('file-backed secret vault', () => {
  let dir: string;
  let path: string;
  const key = randomBytes(32);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-vault-'));
    path = join(dir, 'pub1.vault');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps values encrypted: the file holds neither the value nor its base64', async () => {
    const vault = await openFileVault({ path, cluster: 'pub1', key });
    const value = await vault.ensure('keystone_admin_password', { kind: 'password', length: 40 });
    const text = await readFile(path, 'utf8');
    expect(value).toHaveLength(40);
    expect(text).not.toContain(value);
    expect(text).not.toContain(Buffer.from(value).toString('base64').slice(0, 20));
    expect(text).toContain('keyId');
    expect(text).not.toContain('keystone_admin_password');
  });

  it('writes the vault file with mode 0600 and a fresh nonce on every write', async () => {
    const vault = await openFileVault({ path, cluster: 'pub1', key });
    await vault.ensure('a', { kind: 'hex' });
    const first = JSON.parse(await readFile(path, 'utf8')) as { nonce: string };
    await vault.ensure('b', { kind: 'hex' });
    const second = JSON.parse(await readFile(path, 'utf8')) as { nonce: string };
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(second.nonce).not.toBe(first.nonce);
  });

  it('gives the same value on every ensure and after re-opening', async () => {
    const vault = await openFileVault({ path, cluster: 'pub1', key });
    const value = await vault.ensure('rabbitmq_password', { kind: 'password' });
    expect(await vault.ensure('rabbitmq_password', { kind: 'password' })).toBe(value);
    const reopened = await openFileVault({ path, cluster: 'pub1', key });
    expect(reopened.get('rabbitmq_password')).toBe(value);
    expect(reopened.names()).toEqual(['rabbitmq_password']);
  });

  it('fails authenticated decryption with a typed error when the file was modified', async () => {
    const vault = await openFileVault({ path, cluster: 'pub1', key });
    await vault.ensure('mon_key', { kind: 'hex' });
    const envelope = JSON.parse(await readFile(path, 'utf8')) as { ciphertext: string };
    const bytes = Buffer.from(envelope.ciphertext, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 0x01;
    await writeFile(path, JSON.stringify({ ...envelope, ciphertext: bytes.toString('base64') }));
    const error = await rejectionOf(openFileVault({ path, cluster: 'pub1', key }));
    expect(error).toMatchObject({ name: 'SecretError', code: 'SECRET_TAMPERED' });
  });

  it('refuses another key with a typed error', async () => {
    const vault = await openFileVault({ path, cluster: 'pub1', key });
    await vault.ensure('mon_key', { kind: 'hex' });
    const error = await rejectionOf(openFileVault({ path, cluster: 'pub1', key: randomBytes(32) }));
    expect(error).toMatchObject({ name: 'SecretError', code: 'SECRET_KEY_MISMATCH' });
  });

  it("refuses another cluster's vault, even with the right key", async () => {
    const vault = await openFileVault({ path, cluster: 'pub1', key });
    await vault.ensure('mon_key', { kind: 'hex' });
    expect(await rejectionOf(openFileVault({ path, cluster: 'pub2', key }))).toMatchObject({ code: 'SECRET_VAULT_CLUSTER' });
    const envelope = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>;
    await writeFile(path, JSON.stringify({ ...envelope, cluster: 'pub2' }));
    expect(await rejectionOf(openFileVault({ path, cluster: 'pub2', key }))).toMatchObject({ code: 'SECRET_TAMPERED' });
  });

  it('rotates: a new value, the old one readable for the grace window, then gone', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const options = { path, cluster: 'pub1', key, clock: () => now, rotationGraceMs: 2 * DAY_MS };
    const vault = await openFileVault(options);
    const old = await vault.ensure('galera_root_password', { kind: 'password', length: 24 });
    const fresh = await vault.rotate('galera_root_password');
    expect(fresh).not.toBe(old);
    expect(fresh).toHaveLength(24);
    expect((await openFileVault(options)).previous('galera_root_password')).toEqual([old]);
    now = new Date(now.getTime() + 3 * DAY_MS);
    expect(vault.previous('galera_root_password')).toEqual([]);
    expect((await openFileVault(options)).get('galera_root_password')).toBe(fresh);
  });

  it('refuses to rotate a secret that does not exist, or an imported one', async () => {
    const vault = await openFileVault({ path, cluster: 'pub1', key });
    expect(await rejectionOf(vault.rotate('nothing'))).toMatchObject({ code: 'SECRET_NOT_FOUND' });
    await vault.set('bmc/7XQK2M3', 'operator-chosen');
    expect(await rejectionOf(vault.rotate('bmc/7XQK2M3'))).toMatchObject({ code: 'SECRET_SPEC_INVALID' });
  });

  it('changes nothing on disk when a name is invalid', async () => {
    const vault = await openFileVault({ path, cluster: 'pub1', key });
    await vault.ensure('a', { kind: 'hex' });
    const before = await readFile(path, 'utf8');
    expect(await rejectionOf(vault.ensure('bad name!', { kind: 'hex' }))).toMatchObject({ code: 'SECRET_SPEC_INVALID' });
    expect(await readFile(path, 'utf8')).toBe(before);
  });
});

describe('file-backed secret vault under concurrent first needs', () => {
  it('generates a secret once when many callers need it at the same time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plinth-vault-'));
    try {
      const key = randomBytes(32);
      const vault = await openFileVault({ path: join(dir, 'v'), cluster: 'pub1', key });
      const values = await Promise.all(Array.from({ length: 8 }, () => vault.ensure('keystone_admin_password', { kind: 'password' })));
      expect(new Set(values).size).toBe(1);
      expect((await openFileVault({ path: join(dir, 'v'), cluster: 'pub1', key })).get('keystone_admin_password')).toBe(values[0]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
