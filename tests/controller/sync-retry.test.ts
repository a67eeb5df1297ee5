import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startPlinth, type RunningPlinth } from '../../reconciler/api/serve.js';
import { createLogger } from '../../reconciler/lib/logger.js';
import { createGitFixture, type GitFixture } from '../support/git-repo.js';
import { readExampleBase } from './e2e-repo.js';
import { readControllerStatus, waitForRevision } from './harness.js';

describe('a failed sync is retried before the next poll', () => {
  let dir: string;
  let git: GitFixture;
  let plinth: RunningPlinth | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-sync-retry-'));
    git = await createGitFixture('plinth-sync-retry-git-');
  }, 60_000);

  afterAll(async () => {
    await plinth?.stop();
    await git?.remove();
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('applies the head once the remote is back, although the next poll is an hour away', async () => {
    const revision = `main@sha1:${await git.commitFiles(await readExampleBase(), 'cluster')}`;
    const remotePath = fileURLToPath(git.remoteUrl);
    const warnings: string[] = [];
    await rename(remotePath, `${remotePath}.away`);
    plinth = await startPlinth({
      repo: git.remoteUrl, branch: 'main', dataDir: join(dir, 'data'), cluster: 'pub1', pollIntervalMs: 3_600_000, listen: { host: '127.0.0.1', port: 0 },
      webhookSecrets: [], notes: false, env: {}, secretsDir: dir, reports: { rateLimit: false },
    }, createLogger({ level: 'warn', destination: { write: (line: string) => void warnings.push(line) } }));
    for (let round = 0; round < 600 && !warnings.some((line) => line.includes('will retry')); round += 1) await sleep(100);
    // The first sync failed (the remote is away), and nothing was attempted.
    expect(warnings.some((line) => line.includes('will retry'))).toBe(true);
    expect((await readControllerStatus(plinth.url)).lastAttempted).toBeUndefined();

    await rename(`${remotePath}.away`, remotePath);

    expect((await waitForRevision(plinth.url, revision)).lastAttempted?.phase).toBe('applied');
  }, 120_000);
});
