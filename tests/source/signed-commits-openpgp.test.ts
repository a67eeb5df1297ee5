import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../reconciler/lib/command.js';
import { GitSource } from '../../reconciler/source/git-source.js';
import { createCommitVerifier } from '../../reconciler/source/verify-commit.js';
import { createGitFixture, type GitFixture } from '../support/git-repo.js';

/** Runs gpg in its own home; fails the test on a non-zero exit. */
async function gpg(home: string, args: string[], input?: string): Promise<string> {
  const result = await runCommand('gpg', ['--homedir', home, '--batch', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], input === undefined ? {} : { input });
  if (result.exitCode !== 0) throw new Error(`gpg ${args[0] ?? ''} failed: ${result.stderr}`);
  return result.stdout;
}

async function makeKeyring(root: string, name: string, uid: string): Promise<string> {
  const home = join(root, name);
  await mkdir(home, { mode: 0o700 });
  await gpg(home, ['--quick-gen-key', uid, 'ed25519', 'sign', 'never']);
  return home;
}

describe('signed-commit verification with an OpenPGP keyring', () => {
  let scratch: string;
  let signerHome: string;
  let strangerHome: string;
  let trustHome: string;
  let fixture: GitFixture;
  let source: GitSource;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'plinth-gpg-'));
    signerHome = await makeKeyring(scratch, 'signer', 'plinth signer <test@plinth.invalid>');
    strangerHome = await makeKeyring(scratch, 'stranger', 'stranger <stranger@plinth.invalid>');
    trustHome = join(scratch, 'trust');
    await mkdir(trustHome, { mode: 0o700 });
    await gpg(trustHome, ['--import'], await gpg(signerHome, ['--armor', '--export']));
    fixture = await createGitFixture('plinth-gpg-repo-', { GNUPGHOME: signerHome });
    await fixture.work.addConfig('user.signingkey', 'test@plinth.invalid');
    source = new GitSource({
      remoteUrl: fixture.remoteUrl,
      branch: 'main',
      workDir: join(fixture.root, 'controller'),
      verifyCommit: createCommitVerifier({ kind: 'openpgp', gnupgHome: trustHome }),
    });
  });

  afterAll(async () => {
    // gpg starts one agent per home: stop each one we caused.
    for (const home of [signerHome, strangerHome, trustHome]) await runCommand('gpgconf', ['--homedir', home, '--kill', 'all']);
    await fixture.remove();
    await rm(scratch, { recursive: true, force: true });
  });

  it('applies a head signed by a key in the configured keyring', async () => {
    await fixture.commitFiles({ 'a.yaml': 'kind: Node\n' }, 'signed', ['-S']);
    expect((await source.sync()).changed).toBe(true);
  });

  it('refuses a head signed by a key the keyring does not hold', async () => {
    const stranger = await createGitFixture('plinth-gpg-other-', { GNUPGHOME: strangerHome });
    try {
      await stranger.work.addConfig('user.signingkey', 'stranger@plinth.invalid');
      await stranger.work.raw(['remote', 'set-url', 'origin', fixture.remoteUrl]);
      await stranger.work.raw(['fetch', '--quiet', 'origin', 'main']);
      await stranger.work.raw(['reset', '--quiet', '--hard', 'FETCH_HEAD']);
      await stranger.commitFiles({ 'b.yaml': 'kind: Node\n' }, 'stranger', ['-S']);
      await expect(source.sync()).rejects.toMatchObject({ code: 'SOURCE_UNVERIFIED_COMMIT', details: { policy: 'openpgp' } });
    } finally {
      await stranger.remove();
    }
  });
});
