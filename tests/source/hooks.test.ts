import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { hookRoutes } from '../../reconciler/api/routes/hooks.js';
import { signWebhookBody } from '../../reconciler/source/webhook-auth.js';

const SECRET = 'It\'s a Secret to Everybody';

/** Push payloads trimmed to the fields each forge documents for a push event. */
const githubPush = JSON.stringify({ ref: 'refs/heads/main', before: '0'.repeat(40), after: 'a'.repeat(40), repository: { full_name: 'ops/cluster' } });
const gitlabPush = JSON.stringify({ object_kind: 'push', ref: 'refs/heads/main', checkout_sha: 'b'.repeat(40), project: { path_with_namespace: 'ops/cluster' } });
const giteaPush = JSON.stringify({ ref: 'refs/heads/main', after: 'c'.repeat(40), repository: { full_name: 'ops/cluster' } });

function setup(bodyLimitBytes?: number): { app: ReturnType<typeof hookRoutes>; triggers: () => number } {
  let count = 0;
  const app = hookRoutes({ secrets: [SECRET], branch: 'main', trigger: () => void (count += 1), ...(bodyLimitBytes ? { bodyLimitBytes } : {}) });
  return { app, triggers: () => count };
}

function post(app: ReturnType<typeof hookRoutes>, body: string, headers: Record<string, string>): Promise<Response> {
  return Promise.resolve(app.request('/v1/hooks/git', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } }));
}

describe('POST /v1/hooks/git', () => {
  it('computes the signature GitHub documents for its example secret and payload', () => {
    expect(signWebhookBody(SECRET, 'Hello, World!')).toBe('sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  });

  it('accepts a GitHub push signed with X-Hub-Signature-256 and triggers a fetch', async () => {
    const { app, triggers } = setup();
    const response = await post(app, githubPush, { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': signWebhookBody(SECRET, githubPush) });
    expect(response.status).toBe(202);
    expect(triggers()).toBe(1);
  });

  it('accepts a GitLab push carrying the secret in X-Gitlab-Token', async () => {
    const { app, triggers } = setup();
    const response = await post(app, gitlabPush, { 'X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': SECRET });
    expect(response.status).toBe(202);
    expect(triggers()).toBe(1);
  });

  it('accepts a Gitea push signed with a hex X-Gitea-Signature', async () => {
    const { app, triggers } = setup();
    const signature = createHmac('sha256', SECRET).update(giteaPush).digest('hex');
    const response = await post(app, giteaPush, { 'X-Gitea-Event': 'push', 'X-Gitea-Signature': signature });
    expect(response.status).toBe(202);
    expect(triggers()).toBe(1);
  });

  it('accepts the generic X-Plinth-Signature', async () => {
    const { app, triggers } = setup();
    const response = await post(app, '{}', { 'X-Plinth-Signature': signWebhookBody(SECRET, '{}') });
    expect(response.status).toBe(202);
    expect(triggers()).toBe(1);
  });

  it.each([
    ['no signature', {}],
    ['a signature made with another secret', { 'X-Hub-Signature-256': signWebhookBody('wrong', githubPush) }],
    ['a GitHub signature without its sha256= prefix', { 'X-Hub-Signature-256': signWebhookBody(SECRET, githubPush).slice(7) }],
    ['a wrong GitLab token', { 'X-Gitlab-Token': `${SECRET}x` }],
    ['a Gitea signature of another body', { 'X-Gitea-Signature': createHmac('sha256', SECRET).update('{}').digest('hex') }],
  ])('refuses %s with 401 and does not trigger', async (_name, headers) => {
    const { app, triggers } = setup();
    const response = await post(app, githubPush, headers);
    expect(response.status).toBe(401);
    expect(triggers()).toBe(0);
  });

  it('acknowledges a push to another branch without triggering', async () => {
    const { app, triggers } = setup();
    const body = JSON.stringify({ ref: 'refs/heads/feature' });
    const response = await post(app, body, { 'X-Hub-Signature-256': signWebhookBody(SECRET, body) });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ triggered: false });
    expect(triggers()).toBe(0);
  });

  it('refuses a body over the limit with 413 before checking anything', async () => {
    const { app, triggers } = setup(64);
    const body = JSON.stringify({ ref: 'refs/heads/main', padding: 'x'.repeat(200) });
    const response = await post(app, body, { 'X-Hub-Signature-256': signWebhookBody(SECRET, body) });
    expect(response.status).toBe(413);
    expect(triggers()).toBe(0);
  });
});
