import { describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServeSettings, parseListen } from './serve.js';

const FLAGS = { repo: '/srv/cluster.git', branch: 'main', data: '/var/lib/plinth', listen: '127.0.0.1:8080', cluster: 'pub1', pollInterval: '60', notes: true, encServerName: ['localhost'], encServerAddress: ['127.0.0.1'], puppetServer: [] };

describe('plinth serve flags', () => {
  it('reads HOST:PORT, IPv6 hosts in brackets', () => {
    expect(parseListen('0.0.0.0:8080')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
  });

  it('refuses a listener that is not HOST:PORT', () => {
    expect(() => parseListen('8080')).toThrow('--listen must be HOST:PORT, got "8080"');
    expect(() => parseListen('host:70000')).toThrow('--listen must be HOST:PORT');
  });

  it('takes the webhook secret from the environment variable the flag names, never from the flag', async () => {
    const settings = await buildServeSettings({ ...FLAGS, webhookSecretEnv: 'HOOK_SECRET' }, { HOOK_SECRET: 's3cret' });
    expect(settings.webhookSecrets).toEqual(['s3cret']);
    await expect(buildServeSettings({ ...FLAGS, webhookSecretEnv: 'HOOK_SECRET' }, {})).rejects.toThrow('environment variable HOOK_SECRET (webhook secret) is not set');
  });

  it('trusts commit signatures from one source only', async () => {
    expect((await buildServeSettings({ ...FLAGS, allowedSigners: '/etc/plinth/allowed_signers' }, {})).signatures).toEqual({ kind: 'ssh', allowedSignersFile: '/etc/plinth/allowed_signers' });
    await expect(buildServeSettings({ ...FLAGS, allowedSigners: '/a', gnupgHome: '/b' }, {})).rejects.toThrow('give at most one of --allowed-signers and --gnupg-home');
  });

  it('sizes the report analysis pool with --report-workers, refusing anything but 1 to 64', async () => {
    expect((await buildServeSettings(FLAGS, {})).reportAnalysisWorkers).toBeUndefined();
    expect((await buildServeSettings({ ...FLAGS, reportWorkers: '3' }, {})).reportAnalysisWorkers).toBe(3);
    await expect(buildServeSettings({ ...FLAGS, reportWorkers: '0' }, {})).rejects.toThrow('--report-workers must be a whole number from 1 to 64, got "0"');
  });

  it('enables the ENC endpoint only when it is given a listener', async () => {
    expect((await buildServeSettings(FLAGS, {})).enc).toBeUndefined();
    expect((await buildServeSettings({ ...FLAGS, encListen: '0.0.0.0:8140' }, {})).enc).toMatchObject({ listen: { host: '0.0.0.0', port: 8140 }, serverNames: ['localhost'] });
  });

  it('enables image push with --ssh-key and Puppet runs only with --puppet-ssh as well', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plinth-serve-key-'));
    try {
      const key = join(dir, 'id_ed25519');
      await writeFile(key, '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n');
      await chmod(key, 0o600);
      expect((await buildServeSettings(FLAGS, {})).deploy).toBeUndefined();
      expect((await buildServeSettings({ ...FLAGS, sshKey: key }, {})).deploy).toMatchObject({ puppet: false, sshPort: 22 });
      expect((await buildServeSettings({ ...FLAGS, sshKey: key, puppetSsh: true, sshPort: '2222' }, {})).deploy).toMatchObject({ puppet: true, sshPort: 2222 });
      await expect(buildServeSettings({ ...FLAGS, puppetSsh: true }, {})).rejects.toThrow('--puppet-ssh and --ssh-port need --ssh-key');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
