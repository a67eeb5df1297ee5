import { Hono } from 'hono';
import { IncomingMessage } from 'node:http';
import { decideEnrolment } from '../../inventory/enrol.js';
import type { Inventory } from '../../inventory/types.js';
import type { IngestOutcome, Store } from '../../store/types.js';
import { HttpError } from '../http-error.js';
import type { ApiEnv } from '../middleware/api-env.js';
import { checkJsonContentType, readLimitedBody, readLimitedIncoming } from '../middleware/json-body.js';
import { rateLimit, type RateLimitOptions } from '../middleware/rate-limit.js';
import { trustedNetworks } from '../middleware/trusted-networks.js';
import { acceptedOrThrow, analyseReportInline, inventoryOf, type AnalyseReport } from '../report-analysis.js';
import { chooseBodyCoding } from '../report-analysis-body.js';

export interface ReportRouteOptions {
  /**
   * Largest accepted body, on the wire and once inflated when it came gzipped; real reports are 20–400 kB,
   * multi-GPU lspci dumps the biggest part.
   */
  bodyLimitBytes: number;
  /** Per-source token bucket, or false to disable (a lab behind its own limits). */
  rateLimit: RateLimitOptions | false;
  /** CIDR networks reports may come from; empty trusts every source. */
  trustedNetworks: readonly string[];
}

export interface ReportRouteDeps {
  store: Store;
  clock: () => Date;
  /** Parses, validates and normalises a body; defaults to inline, a server passes a worker pool. */
  analyse?: AnalyseReport;
  /** Told of every report stored for a node, once it is durable (the controller re-plans on news). */
  onStored?: (outcome: IngestOutcome) => void;
}

export const DEFAULT_REPORT_OPTIONS: ReportRouteOptions = {
  bodyLimitBytes: 2 * 1024 * 1024,
  rateLimit: { ratePerSecond: 1, burst: 20 },
  trustedNetworks: [],
};

/**
 * POST /v1/reports: a booting node's hardware report, as JSON or gzip-compressed JSON (`Content-Encoding:
 * gzip`, kept as received). Refusals come cheapest first (403, 429, 415, 413, 400 syntax, 400 schema) and
 * store nothing; an accepted report is answered 202 only once its transaction is committed, and a report
 * claiming an enrolled node's identity is kept as a conflict (409).
 */
export function reportRoutes(deps: ReportRouteDeps, options: ReportRouteOptions = DEFAULT_REPORT_OPTIONS): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();
  const analyse = deps.analyse ?? analyseReportInline;
  routes.use('/v1/reports', trustedNetworks(options.trustedNetworks));
  if (options.rateLimit) routes.use('/v1/reports', rateLimit(options.rateLimit));

  routes.post('/v1/reports', async (c) => {
    const incoming = c.env?.incoming;
    // Served by Node: read headers and body from its request; in-process callers (`app.request()`) use Fetch's.
    const header = (name: string): string | undefined =>
      incoming instanceof IncomingMessage ? (incoming.headers[name] as string | undefined) : c.req.header(name);
    checkJsonContentType(header('content-type'));
    const coding = chooseBodyCoding(header('content-encoding'), options.bodyLimitBytes);
    const raw = await (incoming instanceof IncomingMessage
      ? readLimitedIncoming(incoming, options.bodyLimitBytes)
      : readLimitedBody(c.req.raw, options.bodyLimitBytes));
    const accepted = acceptedOrThrow(await analyse(raw, coding));
    const { claim, warnings, redactedBody, encoded } = accepted;
    let inventory: Inventory | undefined;
    const readInventory = (): Inventory => (inventory ??= inventoryOf(accepted));
    const base = {
      // Unread when `encoded` is given (always from a worker, and for a gzip body): the store keeps that encoding.
      rawBody: redactedBody === undefined ? raw : Buffer.from(redactedBody),
      claim,
      receivedAt: deps.clock().toISOString(),
      sourceAddress: c.get('sourceAddress'),
    };
    const submission = encoded ? { ...base, encoded } : { ...base, inventory: readInventory() };
    const outcome = await deps.store.ingestReport(submission, (ingested, context) => decideEnrolment(ingested, context, readInventory));
    const log = c.get('log');
    if (outcome.kind === 'conflict') {
      log.warn({ reportId: outcome.reportId, conflictId: outcome.conflictId, reason: outcome.reason, nodes: outcome.nodeIds }, 'report refused: identity conflict');
      throw new HttpError(409, 'API_IDENTITY_CONFLICT', outcome.message, {
        details: { reason: outcome.reason, conflictId: outcome.conflictId, reportId: outcome.reportId, nodeIds: outcome.nodeIds },
      });
    }
    log.info({ node: outcome.node.id, reportId: outcome.reportId, outcome: outcome.kind, changes: outcome.changes.length }, 'report stored');
    deps.onStored?.(outcome);
    const { id, identitySource, state } = outcome.node;
    return c.json({ node: { id, identitySource, state }, reportId: outcome.reportId, warnings }, 202);
  });
  return routes;
}
