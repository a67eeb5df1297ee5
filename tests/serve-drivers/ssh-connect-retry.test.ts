import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retryConnect } from '../../reconciler/lib/ssh-connect-retry.js';
import { openSshSession, type SshConnector } from '../../reconciler/lib/ssh-session.js';
import { findFreePort, generateKeyPair, startSshd, type TestSshd } from '../support/sshd.js';

describe('retryConnect (real sshd on loopback)', () => {
  let sshd: TestSshd;
  let work: string;

  beforeAll(async () => {
    sshd = await startSshd();
    work = await mkdtemp(join(tmpdir(), 'plinth-retry-'));
  });

  afterAll(async () => {
    await sshd?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  function counting(): { connect: SshConnector; calls: () => number } {
    let calls = 0;
    return { connect: (endpoint) => ((calls += 1), openSshSession(endpoint)), calls: () => calls };
  }

  it('tries again while nothing listens, then gives up with the connection error', async () => {
    const { connect, calls } = counting();
    const endpoint = { ...sshd.endpoint(), port: await findFreePort() };

    await expect(retryConnect(connect, { attempts: 3, delayMs: 10 })(endpoint)).rejects.toMatchObject({ code: 'SSH_CONNECT' });
    expect(calls()).toBe(3);
  });

  it('never retries a refused host key', async () => {
    const { connect, calls } = counting();
    const stranger = await generateKeyPair(work, 'stranger');

    await expect(retryConnect(connect, { attempts: 3, delayMs: 10 })({ ...sshd.endpoint(), hostKey: stranger.publicKey })).rejects.toMatchObject({ code: 'SSH_HOST_KEY' });
    expect(calls()).toBe(1);
  });

  it('connects when the server answers', async () => {
    const session = await retryConnect(openSshSession, { attempts: 2, delayMs: 10 })(sshd.endpoint());
    const result = await session.exec('echo ready');
    session.close();

    expect(result.stdout.trim()).toBe('ready');
  });
});
