import { Hono } from 'hono';
import type { Logger } from '../../lib/logger.js';
import { authenticateWebhook, readPushedBranch } from '../../source/webhook-auth.js';
import type { ApiEnv } from '../middleware/api-env.js';
import { readLimitedBody } from '../middleware/json-body.js';
import { isHttpError } from '../http-error.js';

export interface HookRouteDeps {
  /** Accepted secrets (more than one while rotating); none configured refuses every hook. */
  secrets: readonly string[];
  /** The tracked branch: pushes naming another branch are acknowledged and ignored. */
  branch: string;
  /** Asks the source for a fetch; must return at once (the scheduler coalesces bursts). */
  trigger: () => void;
  bodyLimitBytes?: number;
  log?: Pick<Logger, 'info' | 'warn'>;
}

/** Push payloads list commits; GitHub caps them near 25 MB but a push touching manifests is far smaller. */
export const DEFAULT_HOOK_BODY_LIMIT = 2 * 1024 * 1024;

/**
 * POST /v1/hooks/git: a forge says the repository changed. The body is only authenticated and, at most,
 * read for the pushed branch: desired state always comes from the fetch this triggers, never from the hook.
 */
export function hookRoutes(deps: HookRouteDeps): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();
  routes.post('/v1/hooks/git', async (c) => {
    let body: Uint8Array;
    try {
      body = await readLimitedBody(c.req.raw, deps.bodyLimitBytes ?? DEFAULT_HOOK_BODY_LIMIT);
    } catch (error) {
      if (isHttpError(error)) return c.json({ error: { code: error.code, message: error.message } }, 413, error.headers);
      throw error;
    }
    const verdict = authenticateWebhook((name) => c.req.header(name), body, deps.secrets);
    if (!verdict.ok) {
      deps.log?.warn({ reason: verdict.reason }, 'webhook refused');
      return c.json({ error: { code: 'API_UNAUTHENTICATED', message: 'webhook signature missing or invalid' } }, 401);
    }
    const branch = readPushedBranch(body);
    if (branch !== undefined && branch !== deps.branch) {
      deps.log?.info({ scheme: verdict.scheme, branch }, 'webhook ignored: other branch');
      return c.json({ triggered: false, reason: `push to ${branch}, tracking ${deps.branch}` }, 202);
    }
    deps.trigger();
    deps.log?.info({ scheme: verdict.scheme }, 'webhook accepted: fetch triggered');
    return c.json({ triggered: true }, 202);
  });
  return routes;
}
