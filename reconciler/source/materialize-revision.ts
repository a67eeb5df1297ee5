import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, type CommandRunner } from '../lib/command.js';
import { PlinthError } from '../lib/errors.js';
import { createGit as defaultCreateGit, type CreateGit } from './git-client.js';
import { formatRevision, isFullSha, parseRevision, type Revision } from './revision.js';

export interface MaterializeDeps {
  createGit?: CreateGit;
  run?: CommandRunner;
}

/**
 * Writes the file tree of a commit into `dir` without touching the repository's work tree or index
 * (`git archive` + `tar`), so `plinth plan --base/--head` can read two revisions side by side.
 *
 * @example await materializeRevision('/srv/clone', 'main@sha1:3f…', '/tmp/base')
 */
export async function materializeRevision(repoPath: string, revision: Revision | string, dir: string, deps: MaterializeDeps = {}): Promise<string> {
  const git = (deps.createGit ?? defaultCreateGit)(repoPath);
  const run = deps.run ?? runCommand;
  const wanted = typeof revision === 'string' ? toCommitish(revision) : revision.digest;
  let sha = '';
  let failure: unknown;
  try {
    sha = (await git.revparse(['--verify', '--quiet', '--end-of-options', `${wanted}^{commit}`])).trim();
  } catch (error) {
    failure = error;
  }
  if (!isFullSha(sha)) {
    const named = typeof revision === 'string' ? revision : formatRevision(revision);
    throw new PlinthError('SOURCE_UNKNOWN_REVISION', `revision ${named} is not a commit in ${repoPath}`, {
      cause: failure,
      details: { revision: wanted },
    });
  }
  const scratch = await mkdtemp(join(tmpdir(), 'plinth-archive-'));
  try {
    const archive = join(scratch, 'tree.tar');
    await git.raw(['archive', '--format=tar', `--output=${archive}`, sha]);
    await mkdir(dir, { recursive: true });
    const result = await run('tar', ['-x', '-f', archive, '-C', dir]);
    if (result.exitCode !== 0) throw new PlinthError('SOURCE_ARCHIVE_FAILED', `could not unpack ${sha} into ${dir}`, { details: { stderr: result.stderr.trim() } });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return sha;
}

/** Accepts `<branch>@sha1:<hex>` or anything git resolves itself (a sha, a branch, `HEAD~1`). */
function toCommitish(text: string): string {
  return /@sha1:/.test(text) ? parseRevision(text).digest : text;
}
