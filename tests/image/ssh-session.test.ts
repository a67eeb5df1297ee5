import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openSshSession } from '../../reconciler/lib/ssh-session.js';
import { findFreePort, generateKeyPair, startSshd, type TestSshd } from '../support/sshd.js';

describe('SSH sessions with a pinned host key (real sshd on loopback)', () => {
  let sshd: TestSshd;

  beforeAll(async () => {
    sshd = await startSshd();
  });

  afterAll(async () => {
    await sshd?.stop();
  });

  it('passes back exit code, stdout and stderr, and feeds stdin', async () => {
    const session = await openSshSession(sshd.endpoint());
    try {
      const failed = await session.exec('echo out; echo err >&2; exit 7');
      const counted = await session.exec('wc -c', { input: Buffer.alloc(100_000, 1) });

      expect(failed).toEqual({ exitCode: 7, signal: null, stdout: 'out\n', stderr: 'err\n' });
      expect(counted.stdout.trim()).toBe('100000');
    } finally {
      session.close();
    }
  });

  it('fails transiently when nothing listens', async () => {
    const port = await findFreePort();

    await expect(openSshSession({ ...sshd.endpoint(), port })).rejects.toMatchObject({ code: 'SSH_CONNECT', transient: true });
  });

  it('fails for good when the server does not accept the client key', async () => {
    const stranger = await generateKeyPair(sshd.dir, `stranger-${Date.now()}`);

    await expect(openSshSession({ ...sshd.endpoint(), privateKey: stranger.privateKey })).rejects.toMatchObject({ code: 'SSH_AUTH', transient: false });
  });

  it('gives up on a command that outlives its timeout', async () => {
    const session = await openSshSession(sshd.endpoint());
    try {
      await expect(session.exec('sleep 3', { timeoutMs: 200 })).rejects.toMatchObject({ code: 'SSH_TIMEOUT', transient: true });
    } finally {
      session.close();
    }
  });
});
