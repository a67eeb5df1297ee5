import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';

/** A bare remote and a working clone in one temp directory; `remove()` deletes both. */
export interface GitFixture {
  root: string;
  bareDir: string;
  remoteUrl: string;
  workDir: string;
  work: SimpleGit;
  commitFiles(files: Record<string, string>, message?: string, extraArgs?: string[]): Promise<string>;
  remove(): Promise<void>;
}

/** Identity and settings for test commits, independent of the machine's global git config. */
const AUTHOR_ENV = {
  GIT_AUTHOR_NAME: 'plinth test',
  GIT_AUTHOR_EMAIL: 'test@plinth.invalid',
  GIT_COMMITTER_NAME: 'plinth test',
  GIT_COMMITTER_EMAIL: 'test@plinth.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function testGit(baseDir: string, env: Record<string, string> = {}): SimpleGit {
  return simpleGit({ baseDir }).env({ PATH: process.env['PATH'] ?? '', HOME: baseDir, ...AUTHOR_ENV, ...env });
}

/** `git init --bare -b main` (so clones find HEAD) plus a clone of it to commit from. */
export async function createGitFixture(prefix = 'plinth-git-', env: Record<string, string> = {}): Promise<GitFixture> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const bareDir = join(root, 'remote.git');
  const workDir = join(root, 'work');
  await mkdir(bareDir);
  await testGit(bareDir).raw(['init', '--bare', '--quiet', '-b', 'main']);
  const remoteUrl = `file://${bareDir}`;
  await mkdir(workDir);
  const work = testGit(workDir, env);
  await work.raw(['init', '--quiet', '-b', 'main']);
  await work.addRemote('origin', remoteUrl);
  return {
    root,
    bareDir,
    remoteUrl,
    workDir,
    work,
    commitFiles: (files, message, extraArgs) => commitAndPush(work, workDir, files, message ?? 'change manifests', extraArgs ?? []),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

async function commitAndPush(work: SimpleGit, workDir: string, files: Record<string, string>, message: string, extraArgs: string[]): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(workDir, path)), { recursive: true });
    await writeFile(join(workDir, path), content);
  }
  await work.raw(['add', '--all']);
  await work.raw(['commit', '--quiet', '--allow-empty', '-m', message, ...extraArgs]);
  await work.raw(['push', '--quiet', 'origin', 'HEAD:refs/heads/main']);
  return (await work.revparse(['HEAD'])).trim();
}

/** A fresh clone of the fixture's remote, as an operator or CI would make it. */
export async function cloneRemote(fixture: GitFixture, name: string): Promise<{ dir: string; git: SimpleGit }> {
  const dir = join(fixture.root, name);
  await testGit(fixture.root).raw(['clone', '--quiet', fixture.remoteUrl, dir]);
  return { dir, git: testGit(dir) };
}
