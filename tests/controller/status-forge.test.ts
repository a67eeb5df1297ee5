import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGitFixture, type GitFixture } from '../support/git-repo.js';
import { findFreePort } from '../support/sshd.js';
import { GithubStatusServer, type GithubStatus } from '../report/github-status-server.js';
import { readExampleBase } from './e2e-repo.js';
import { waitForRevision } from './harness.js';
import { bundleCli, spawnPlinth, waitHealthy, type PlinthProcess } from './spawn-plinth.js';

const TOKEN_ENV = 'PLINTH_STATUS_TEST_FORGE_TOKEN';
const TOKEN = 'ghp_statusTestToken0123456789abcdefABCDEF';
const BROKEN_NODE = 'apiVersion: plinth/v1\nkind: Node\nmetadata: { name: broken }\nspec:\n  profile: compute\n  colour: blue\n';

describe('plinth serve posts commit statuses to GitHub', () => {
  let dir: string;
  let git: GitFixture;
  let forge: GithubStatusServer;
  let bundle: Awaited<ReturnType<typeof bundleCli>> | undefined;
  let plinth: PlinthProcess | undefined;
  let url = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-status-'));
    git = await createGitFixture('plinth-status-git-');
    forge = new GithubStatusServer({ owner: 'acme', repo: 'pub1-cluster', token: TOKEN });
    const forgeUrl = await forge.start();
    bundle = await bundleCli();
    await git.commitFiles(await readExampleBase(), 'cluster');
    const port = await findFreePort();
    url = `http://127.0.0.1:${port}`;
    const args = ['--repo', git.remoteUrl, '--data', join(dir, 'data'), '--listen', `127.0.0.1:${port}`, '--cluster', 'pub1', '--poll-interval', '1', '--no-notes',
      '--forge', 'github', '--forge-url', forgeUrl, '--forge-repo', 'acme/pub1-cluster', '--forge-token-env', TOKEN_ENV];
    plinth = await spawnPlinth(bundle.path, args, { [TOKEN_ENV]: TOKEN, PLINTH_LOG_LEVEL: 'info' }, join(dir, 'plinth.log'));
    await waitHealthy(url, plinth);
  }, 120_000);

  afterAll(async () => {
    if (plinth && plinth.child.exitCode === null && plinth.child.signalCode === null) {
      plinth.child.kill('SIGTERM');
      await plinth.exited;
    }
    await forge?.stop();
    await bundle?.remove();
    await git?.remove();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  /** Polls the forge until `sha` has `count` statuses (bounded). */
  async function waitForStatuses(sha: string, count: number): Promise<GithubStatus[]> {
    for (let round = 0; round < 300 && (forge.statuses.get(sha)?.length ?? 0) < count; round += 1) await sleep(200);
    return forge.statuses.get(sha) ?? [];
  }

  it('marks a good commit pending when picked up, then success once it is applied', async () => {
    const sha = (await git.work.revparse(['HEAD'])).trim();
    await waitForRevision(url, `main@sha1:${sha}`);

    const statuses = await waitForStatuses(sha, 2);

    expect(forge.refusals).toEqual([]);
    expect(statuses.map(({ state, context }) => `${context} ${state}`)).toEqual(['plinth/pub1 pending', 'plinth/pub1 success']);
    expect(statuses[1]?.description).toBe('applied: 0 ok, 0 failed, 0 blocked');
  }, 120_000);

  it('marks an invalid commit failure with its first located error', async () => {
    const sha = await git.commitFiles({ 'nodes/broken.yaml': BROKEN_NODE }, 'a broken node');
    await waitForRevision(url, `main@sha1:${sha}`);

    const statuses = await waitForStatuses(sha, 2);

    expect(forge.refusals).toEqual([]);
    expect(statuses.map((status) => status.state)).toEqual(['pending', 'failure']);
    expect(statuses[1]?.description).toMatch(/^invalid: 1 validation error\(s\), nothing applied; first: nodes\/broken\.yaml:6 unknown field `colour`/);
    expect([...(statuses[1]?.description ?? '')].length).toBeLessThanOrEqual(140);
  }, 120_000);

  it('goes on reconciling while GitHub answers 503, logs the outage once, and delivers the latest status when it is back', async () => {
    forge.unavailable = true;
    const sha = await git.commitFiles({ 'nodes/broken.yaml': '# no machine pinned here yet\n' }, 'repair the node folder');

    await waitForRevision(url, `main@sha1:${sha}`);
    const answeredWhileDown = forge.unavailableAnswers;
    forge.unavailable = false;
    for (let round = 0; round < 300 && forge.statesOf(sha).at(-1) !== 'success'; round += 1) await sleep(200);

    expect(answeredWhileDown).toBeGreaterThan(0);
    expect(forge.refusals).toEqual([]);
    // The pending status may be overtaken while GitHub is down (latest wins per commit); it never comes after the outcome.
    expect(['success', 'pending,success']).toContain(forge.statesOf(sha).join(','));
    const log = await readFile(join(dir, 'plinth.log'), 'utf8');
    expect(log.split('\n').filter((line) => line.includes('forge unavailable'))).toHaveLength(1);
    expect(log).toContain('forge reachable again');
    expect(log).not.toContain(TOKEN);
  }, 120_000);
});
