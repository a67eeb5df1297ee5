import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context } from 'hono';
import { ServerResponse } from 'node:http';
import { findAssetFile, type AssetFile } from '../../drivers/boot/asset-files.js';
import { chooseBootTarget, type NodeLifecycleState } from '../../drivers/boot/choose-boot-target.js';
import type { BootDriver, BootTarget } from '../../drivers/boot/types.js';
import { createFileRangeStream, writeFileRange } from '../../lib/file-range-stream.js';
import { normaliseMac } from '../../lib/mac-address.js';
import { silentLogger, type Logger } from '../../lib/logger.js';
import { planStaticResponse, type StaticResponsePlan } from '../../lib/static-response.js';

export interface BootRoutesDeps {
  boot: BootDriver;
  /** The node's lifecycle state by canonical MAC; undefined for a MAC plinth has never seen. */
  findNodeState: (mac: string) => NodeLifecycleState | undefined | Promise<NodeLifecycleState | undefined>;
  /** Issues the token a network-booted system presents back to the controller; the caller records it. */
  issueBootToken: (mac: string, target: BootTarget) => string | Promise<string>;
  /** The folder kernels, initrds and iPXE binaries are served from. */
  assetsDir: string;
  /** `Cache-Control` for assets; they are revalidated by ETag once stale. */
  assetCacheControl?: string;
  log?: Logger;
}

/** A fresh object per response: @hono/node-server adds Content-Length to the headers object it is given. */
const scriptHeaders = (): Record<string, string> => ({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
const ASSETS_PREFIX = '/boot/assets/';

/**
 * Routes nodes boot through: `GET /boot/<mac>.ipxe` (the per-node iPXE script; an unknown MAC gets the discovery
 * system) and `GET|HEAD /boot/assets/<path>` (files with Content-Length, ranges and validators).
 * Example: `app.route('/', bootRoutes({ boot, findNodeState, issueBootToken, assetsDir }))`.
 */
export function bootRoutes(deps: BootRoutesDeps): Hono {
  const app = new Hono();
  const log = deps.log ?? silentLogger();
  const cacheControl = deps.assetCacheControl ?? 'public, max-age=300';
  app.get(`${ASSETS_PREFIX}*`, (c) => serveAsset(c, deps.assetsDir, cacheControl, log));
  app.get('/boot/:file', (c) => serveScript(c, deps, log));
  return app;
}

async function serveAsset(c: Context, assetsDir: string, cacheControl: string, log: Logger): Promise<Response> {
  const pathname = new URL(c.req.url).pathname;
  const file = await findAssetFile(assetsDir, pathname.slice(pathname.indexOf(ASSETS_PREFIX) + ASSETS_PREFIX.length));
  if (!file) return c.text('boot asset not found\n', 404);
  const request = {
    method: c.req.method,
    range: c.req.header('range'),
    ifNoneMatch: c.req.header('if-none-match'),
    ifModifiedSince: c.req.header('if-modified-since'),
    ifRange: c.req.header('if-range'),
  };
  const plan = planStaticResponse(file, request, cacheControl);
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  if (plan.body && outgoing instanceof ServerResponse) {
    sendFileDirectly(outgoing, file, plan, log);
    return RESPONSE_ALREADY_SENT;
  }
  const body = plan.body ? createFileRangeStream(file.path, plan.body.start, plan.body.end) : null;
  return new Response(body, { status: plan.status, headers: plan.headers });
}

async function serveScript(c: Context, deps: BootRoutesDeps, log: Logger): Promise<Response> {
  const file = c.req.param('file') ?? '';
  const mac = file.endsWith('.ipxe') ? normaliseMac(file.slice(0, -'.ipxe'.length)) : undefined;
  if (mac === undefined) return c.text('expected /boot/<MAC>.ipxe\n', file.endsWith('.ipxe') ? 400 : 404);
  try {
    const target = chooseBootTarget((await deps.findNodeState(mac)) ?? 'unknown');
    const token = target === 'local' ? undefined : await deps.issueBootToken(mac, target);
    return new Response(deps.boot.renderScript({ mac, target, token }), { headers: scriptHeaders() });
  } catch (error) {
    // A failed request would make the firmware fall through to the next boot device; a retry script keeps
    // the node waiting for a decision instead.
    log.error({ mac, err: error }, 'boot script failed, sending retry script');
    return new Response(deps.boot.renderRetryScript(mac), { headers: scriptHeaders() });
  }
}

/**
 * Under @hono/node-server the file is written straight into the node response: going through a web
 * ReadableStream costs a large share of throughput on big boot assets (see docs/benchmarks.md).
 */
function sendFileDirectly(outgoing: ServerResponse, file: AssetFile, plan: StaticResponsePlan, log: Logger): void {
  outgoing.writeHead(plan.status, plan.headers);
  const range = plan.body ?? { start: 0, end: -1 };
  writeFileRange(file.path, range.start, range.end, outgoing).catch((error: unknown) => {
    log.debug({ file: file.path, err: error }, 'boot asset transfer ended early');
  });
}
