import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../../reconciler/lib/command.js';
import { GitSource } from '../../reconciler/source/git-source.js';
import { formatRevision } from '../../reconciler/source/revision.js';
import { createCommitVerifier } from '../../reconciler/source/verify-commit.js';
import { createGitFixture, type GitFixture } from '../support/git-repo.js';

/** An ed25519 key made by ssh-keygen, without passphrase, for signing test commits. */
async function makeKey(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  const result = await runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path]);
  if (result.exitCode !== 0) throw new Error(`ssh-keygen failed: ${result.stderr}`);
  return path;
}

describe('signed-commit verification with SSH allowed signers', () => {
  let fixture: GitFixture;
  let trustedKey: string;
  let strangerKey: string;
  let source: GitSource;
  const controllerDir = (): string => join(fixture.root, 'controller');

  const commitSignedWith = async (key: string | undefined, file: string): Promise<string> => {
    if (key) await fixture.work.addConfig('user.signingkey', `${key}.pub`);
    return fixture.commitFiles({ [file]: `kind: Node\nmetadata: { name: ${file} }\n` }, `add ${file}`, key ? ['-S'] : ['--no-gpg-sign']);
  };

  beforeAll(async () => {
    fixture = await createGitFixture('plinth-signed-');
    trustedKey = await makeKey(fixture.root, 'trusted');
    strangerKey = await makeKey(fixture.root, 'stranger');
    await fixture.work.addConfig('gpg.format', 'ssh');
    const publicKey = (await readFile(`${trustedKey}.pub`, 'utf8')).trim();
    const allowedSignersFile = join(fixture.root, 'allowed_signers');
    await writeFile(allowedSignersFile, `test@plinth.invalid ${publicKey}\n`);
    source = new GitSource({
      remoteUrl: fixture.remoteUrl,
      branch: 'main',
      workDir: controllerDir(),
      verifyCommit: createCommitVerifier({ kind: 'ssh', allowedSignersFile }),
    });
  });
  afterAll(async () => fixture.remove());

  it('applies a head signed by a trusted key', async () => {
    const sha = await commitSignedWith(trustedKey, 'good.yaml');
    const result = await source.sync();
    expect(formatRevision(result.revision)).toBe(`main@sha1:${sha}`);
    expect(await readFile(join(controllerDir(), 'good.yaml'), 'utf8')).toContain('good.yaml');
  });

  it('refuses an unsigned head and keeps the last verified tree checked out', async () => {
    const sha = await commitSignedWith(undefined, 'unsigned.yaml');
    await expect(source.sync()).rejects.toMatchObject({ code: 'SOURCE_UNVERIFIED_COMMIT', details: { sha } });
    const checkedOut = (await runCommand('git', ['-C', controllerDir(), 'rev-parse', 'HEAD'])).stdout.trim();
    expect(checkedOut).not.toBe(sha);
    await expect(readFile(join(controllerDir(), 'unsigned.yaml'))).rejects.toThrow();
  });

  it('refuses a head signed by a key that is not an allowed signer', async () => {
    const sha = await commitSignedWith(strangerKey, 'stranger.yaml');
    await expect(source.sync()).rejects.toMatchObject({ code: 'SOURCE_UNVERIFIED_COMMIT', details: { sha } });
    await expect(readFile(join(controllerDir(), 'stranger.yaml'))).rejects.toThrow();
  });
});
