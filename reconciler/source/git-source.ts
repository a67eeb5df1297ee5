import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PlinthError } from '../lib/errors.js';
import { createGit as defaultCreateGit, type CreateGit } from './git-client.js';
import { gitRevision, type Revision } from './revision.js';
import type { Source, SyncResult } from './types.js';
import type { CommitVerifier } from './verify-commit.js';

export interface GitSourceOptions {
  /** Any URL git understands: file://, git://, https://, ssh. Credentials go in a helper, never in the URL. */
  remoteUrl: string;
  branch: string;
  /** The controller's own clone; its work tree holds the checked-out manifests. */
  workDir: string;
  /** When set, a head without a trusted signature is refused (SOURCE_UNVERIFIED_COMMIT). */
  verifyCommit?: CommitVerifier;
  createGit?: CreateGit;
}

/** Follows one branch of a remote: a cheap `ls-remote` to see if it moved, a fetch and checkout only when it did. */
export class GitSource implements Source {
  private readonly createGit: CreateGit;

  constructor(private readonly options: GitSourceOptions) {
    refuseCredentialsInUrl(options.remoteUrl);
    this.createGit = options.createGit ?? defaultCreateGit;
  }

  /** The remote branch's head without fetching objects; undefined when the branch does not exist (yet). */
  async checkHead(): Promise<Revision | undefined> {
    const { remoteUrl, branch, workDir } = this.options;
    await mkdir(dirname(workDir), { recursive: true });
    const output = await this.run(() => this.createGit(dirname(workDir)).listRemote([remoteUrl, `refs/heads/${branch}`]), 'ls-remote');
    const line = output.split('\n').find((entry) => entry.endsWith(`\trefs/heads/${branch}`));
    const sha = line?.split('\t')[0];
    return sha === undefined ? undefined : gitRevision(branch, sha);
  }

  /** Brings the work tree to the remote head; verifies the signature before checking anything out. */
  async sync(): Promise<SyncResult> {
    const { branch, workDir } = this.options;
    const head = await this.checkHead();
    if (!head) throw new PlinthError('SOURCE_NO_BRANCH', `branch ${branch} not found on the remote`, { details: { branch } });
    await this.ensureClone();
    const git = this.createGit(workDir);
    const current = await this.readCheckedOut();
    if (current === head.digest) return { revision: head, treePath: workDir, changed: false };
    await this.run(() => git.fetch(['--no-tags', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`]), 'fetch');
    const fetched = (await this.run(() => git.revparse([`refs/remotes/origin/${branch}^{commit}`]), 'rev-parse')).trim();
    // The branch may have moved again between ls-remote and fetch: apply what was fetched, named by its own sha.
    const revision = gitRevision(branch, fetched);
    if (this.options.verifyCommit) await this.options.verifyCommit(workDir, fetched);
    await this.run(() => git.raw(['checkout', '--force', '--detach', fetched]), 'checkout');
    await this.run(() => git.raw(['clean', '-ffdxq']), 'clean');
    return { revision, treePath: workDir, changed: true };
  }

  /**
   * Creates the clone or brings its remote URL up to date (so a change in configuration takes effect). Both
   * commands are safe to repeat: a controller killed between them (a clone without `origin`) is repaired by
   * the next sync instead of failing every sync after it.
   */
  private async ensureClone(): Promise<void> {
    const { remoteUrl, workDir } = this.options;
    const cloned = await exists(join(workDir, '.git', 'HEAD'));
    await mkdir(workDir, { recursive: true });
    const git = this.createGit(workDir);
    if (!cloned) await this.run(() => git.init(['--quiet']), 'init');
    // Sets the URL whether or not `origin` exists yet; fetches name their refspec, so nothing else is needed.
    await this.run(() => git.raw(['config', 'remote.origin.url', remoteUrl]), 'remote set-url');
  }

  private async readCheckedOut(): Promise<string | undefined> {
    try {
      return (await this.createGit(this.options.workDir).revparse(['--verify', '--quiet', 'HEAD^{commit}'])).trim() || undefined;
    } catch {
      return undefined; // a fresh clone has no HEAD commit yet
    }
  }

  /** Git failures reaching the remote are transient: the next poll retries. */
  private async run<T>(operation: () => Promise<T>, step: string): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new PlinthError('SOURCE_GIT_FAILED', `git ${step} failed for branch ${this.options.branch}`, {
        cause: error,
        transient: true,
        details: { step, branch: this.options.branch },
      });
    }
  }
}

/** git echoes its URL in errors and process lists: a password in it would end up in logs. */
function refuseCredentialsInUrl(remoteUrl: string): void {
  // scp-like `git@host:repo` is not a URL and carries no password.
  if (!URL.canParse(remoteUrl)) return;
  if (new URL(remoteUrl).password !== '') {
    throw new PlinthError('SOURCE_CREDENTIALS_IN_URL', 'the remote URL contains a password; use a git credential helper or an SSH key instead', {
      details: { host: new URL(remoteUrl).host },
    });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
