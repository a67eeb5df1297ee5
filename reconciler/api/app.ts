import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isPlinthError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { Store } from '../store/types.js';
import { isHttpError } from './http-error.js';
import type { ApiEnv } from './middleware/api-env.js';
import { sourceAddress } from './middleware/source-address.js';
import type { AnalyseReport } from './report-analysis.js';
import { DEFAULT_REPORT_OPTIONS, reportRoutes, type ReportRouteDeps, type ReportRouteOptions } from './routes/reports.js';

export interface ApiDeps {
  store: Store;
  log: Logger;
  clock?: () => Date;
  /** Report analysis off the event loop (see `createReportAnalysisPool`); inline when absent. */
  analyseReport?: AnalyseReport;
  reports?: Partial<ReportRouteOptions>;
  /** Told of every report stored for a node (see `ReportRouteDeps.onStored`). */
  onReportStored?: ReportRouteDeps['onStored'];
}

/** The single place where a thrown error becomes a response; the body never carries a stack or a secret. */
function respondToError(error: Error, c: Context<ApiEnv>, log: Logger): Response {
  if (isHttpError(error)) {
    const body: Record<string, unknown> = { code: error.code, message: error.message };
    if (error.problems.length > 0) body.problems = error.problems;
    if (Object.keys(error.details).length > 0) body.details = error.details;
    return c.json({ error: body }, error.status as ContentfulStatusCode, error.headers);
  }
  if (isPlinthError(error) && error.transient) {
    log.warn({ code: error.code, err: error }, 'request failed, transient');
    return c.json({ error: { code: error.code, message: 'temporarily unavailable, retry later' } }, 503, { 'Retry-After': '1' });
  }
  log.error({ code: isPlinthError(error) ? error.code : undefined, err: error }, 'request failed');
  return c.json({ error: { code: 'API_INTERNAL', message: 'internal error; see the controller log' } }, 500);
}

/**
 * Builds plinth's HTTP API from route groups. Dependencies come in; nothing is started here (see
 * `startServer`), so tests drive it with `app.request()`.
 *
 * @example const app = createApp({ store, log }); await app.request('/v1/reports', { method: 'POST', ... })
 */
export function createApp(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const clock = deps.clock ?? (() => new Date());
  app.use('*', sourceAddress());
  app.use('*', async (c, next) => {
    c.set('log', deps.log.child({ source: c.get('sourceAddress') }));
    await next();
  });
  app.route('/', reportRoutes({ store: deps.store, clock, analyse: deps.analyseReport, onStored: deps.onReportStored }, { ...DEFAULT_REPORT_OPTIONS, ...deps.reports }));
  app.notFound((c) => c.json({ error: { code: 'API_NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((error, c) => respondToError(error, c, deps.log));
  return app;
}
