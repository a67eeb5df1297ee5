import { Hono } from 'hono';

export interface HealthDeps {
  /** Throws when the store cannot be read. */
  checkStore: () => Promise<void>;
  /** The revision being applied, if any. */
  applying: () => string | undefined;
}

/** GET /healthz: 200 while the store answers, 503 otherwise; never reports a secret or a stack. */
export function healthRoutes(deps: HealthDeps): Hono {
  const routes = new Hono();
  routes.get('/healthz', async (c) => {
    try {
      await deps.checkStore();
    } catch {
      return c.json({ status: 'unavailable', reason: 'store unreadable' }, 503);
    }
    const applying = deps.applying();
    return c.json({ status: 'ok', ...(applying ? { applying } : {}) });
  });
  return routes;
}
