import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitSource } from '../../reconciler/source/git-source.js';
import { materializeRevision } from '../../reconciler/source/materialize-revision.js';
import { formatRevision } from '../../reconciler/source/revision.js';
import { createGitFixture, testGit, type GitFixture } from '../support/git-repo.js';

describe('GitSource against a bare remote on disk', () => {
  let fixture: GitFixture;
  let source: GitSource;
  const controllerDir = (): string => join(fixture.root, 'controller');

  beforeAll(async () => {
    fixture = await createGitFixture();
    source = new GitSource({ remoteUrl: fixture.remoteUrl, branch: 'main', workDir: controllerDir() });
  });
  afterAll(async () => fixture.remove());

  it('reports no head while the branch does not exist', async () => {
    expect(await source.checkHead()).toBeUndefined();
  });

  it('names the remote head <branch>@sha1:<sha> without fetching', async () => {
    const sha = await fixture.commitFiles({ 'cluster.yaml': 'kind: Cluster\n' });
    const head = await source.checkHead();
    expect(head && formatRevision(head)).toBe(`main@sha1:${sha}`);
    expect(existsSync(controllerDir())).toBe(false);
  });

  it('clones and checks out the head on the first sync', async () => {
    const result = await source.sync();
    expect(result.changed).toBe(true);
    expect(result.treePath).toBe(controllerDir());
    expect(await readFile(join(result.treePath, 'cluster.yaml'), 'utf8')).toBe('kind: Cluster\n');
  });

  it('reports no change when the head has not moved', async () => {
    const before = await source.checkHead();
    const result = await source.sync();
    expect(result.changed).toBe(false);
    expect(result.revision).toEqual(before);
  });

  it('follows a new commit, including removed files', async () => {
    await fixture.work.raw(['rm', '--quiet', 'cluster.yaml']);
    const sha = await fixture.commitFiles({ 'nodes/n1.yaml': 'kind: Node\n' });
    const result = await source.sync();
    expect(formatRevision(result.revision)).toBe(`main@sha1:${sha}`);
    expect(existsSync(join(result.treePath, 'cluster.yaml'))).toBe(false);
    expect(await readFile(join(result.treePath, 'nodes/n1.yaml'), 'utf8')).toBe('kind: Node\n');
  });

  it('materializes an older revision into a directory without touching the work tree', async () => {
    const log = await fixture.work.raw(['rev-list', '--reverse', 'HEAD']);
    const first = log.split('\n')[0] ?? '';
    const target = await mkdtemp(join(tmpdir(), 'plinth-base-'));
    try {
      const sha = await materializeRevision(controllerDir(), `main@sha1:${first}`, target);
      expect(sha).toBe(first);
      expect(await readFile(join(target, 'cluster.yaml'), 'utf8')).toBe('kind: Cluster\n');
      expect(existsSync(join(controllerDir(), 'cluster.yaml'))).toBe(false);
    } finally {
      await rm(target, { recursive: true, force: true });
    }
  });

  it('refuses to materialize a revision the repository does not have', async () => {
    const target = join(fixture.root, 'never');
    await expect(materializeRevision(controllerDir(), `main@sha1:${'0'.repeat(40)}`, target)).rejects.toMatchObject({ code: 'SOURCE_UNKNOWN_REVISION' });
    expect(existsSync(target)).toBe(false);
  });

  it('syncs into a clone left without its remote by a controller stopped between creating it and adding the remote', async () => {
    const workDir = join(fixture.root, 'interrupted');
    await mkdir(workDir, { recursive: true });
    await testGit(workDir).init(['--quiet']);
    const interrupted = new GitSource({ remoteUrl: fixture.remoteUrl, branch: 'main', workDir });

    const result = await interrupted.sync();

    expect(result.changed).toBe(true);
    expect(result.revision).toEqual(await interrupted.checkHead());
    expect(existsSync(join(workDir, 'nodes/n1.yaml'))).toBe(true);
  });

  it('refuses a remote URL that carries a password, without repeating it', () => {
    const build = (): GitSource => new GitSource({ remoteUrl: 'https://deploy:hunter2@git.example.com/ops/cluster.git', branch: 'main', workDir: controllerDir() });
    let thrown: unknown;
    try {
      build();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'SOURCE_CREDENTIALS_IN_URL' });
    expect(`${String(thrown)} ${JSON.stringify(thrown)}`).not.toContain('hunter2');
  });
});
