import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { hookRoutes } from '../../reconciler/api/routes/hooks.js';
import { followSource, type SourceFollower } from '../../reconciler/source/follow-source.js';
import { GitSource } from '../../reconciler/source/git-source.js';
import { formatRevision } from '../../reconciler/source/revision.js';
import type { SyncResult } from '../../reconciler/source/types.js';
import { signWebhookBody } from '../../reconciler/source/webhook-auth.js';
import { createGitFixture, type GitFixture } from '../support/git-repo.js';

describe('a signed webhook makes the follower fetch the new commit', () => {
  let fixture: GitFixture;
  let follower: SourceFollower;
  const seen: string[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;

  const waitForRevisions = (count: number): Promise<void> =>
    new Promise((resolve) => {
      if (seen.length >= count) return resolve();
      waiter = { count, resolve };
    });

  beforeAll(async () => {
    fixture = await createGitFixture('plinth-follow-');
    await fixture.commitFiles({ 'cluster.yaml': 'kind: Cluster\n' }, 'first');
    const source = new GitSource({ remoteUrl: fixture.remoteUrl, branch: 'main', workDir: join(fixture.root, 'controller') });
    follower = followSource({
      source,
      intervalMs: 3_600_000, // only the start and the webhook cause syncs in this test
      onRevision: async (result: SyncResult) => {
        seen.push(formatRevision(result.revision));
        if (waiter && seen.length >= waiter.count) waiter.resolve();
      },
    });
  });
  afterAll(async () => {
    await follower.stop();
    await fixture.remove();
  });

  it('picks up the commit named in the push after the hook is accepted', async () => {
    await waitForRevisions(1);
    const sha = await fixture.commitFiles({ 'nodes/n1.yaml': 'kind: Node\n' }, 'second');
    const app = hookRoutes({ secrets: ['s3cret'], branch: 'main', trigger: follower.trigger });
    const body = JSON.stringify({ ref: 'refs/heads/main', after: sha });
    const response = await app.request('/v1/hooks/git', { method: 'POST', body, headers: { 'X-Hub-Signature-256': signWebhookBody('s3cret', body) } });
    expect(response.status).toBe(202);
    await waitForRevisions(2);
    expect(seen[1]).toBe(`main@sha1:${sha}`);
  });
});
