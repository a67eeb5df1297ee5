import { Hono } from 'hono';
import type { ControllerStatus } from '../../controller/read-status.js';

/** GET /v1/status: last applied and attempted revisions, nodes by state, blocked and failing with reasons. */
export function statusRoutes(deps: { readStatus: () => Promise<ControllerStatus> }): Hono {
  const routes = new Hono();
  routes.get('/v1/status', async (c) => c.json(await deps.readStatus()));
  return routes;
}
