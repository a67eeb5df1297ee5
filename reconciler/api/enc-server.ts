import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:https';
import { PlinthError, isPlinthError } from '../lib/errors.js';
import { silentLogger } from '../lib/logger.js';
import { isHttpError } from './http-error.js';
import { encRoutes, type EncEnv, type EncRoutesDeps } from './routes/enc.js';
import type { RunningServer } from './server.js';

export interface EncServerTls {
  /** The server's certificate followed by the intermediate, PEM. */
  certificatePem: string;
  keyPem: string;
  /** Client certificates must chain to these (the cluster's root and intermediate). */
  clientCaPems: readonly string[];
}

export interface EncServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  tls: EncServerTls;
  requestTimeoutMs?: number;
}

/** The ENC app: its routes and the one place where an error becomes a response (never with a secret). */
export function createEncApp(deps: EncRoutesDeps): Hono<EncEnv> {
  const app = new Hono<EncEnv>();
  const log = deps.log ?? silentLogger();
  app.route('/', encRoutes(deps));
  app.notFound((c) => c.json({ error: { code: 'API_NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((error, c) => {
    if (isHttpError(error)) return c.json({ error: { code: error.code, message: error.message } }, error.status as ContentfulStatusCode);
    // Only the code is logged: a failure while resolving secrets must not carry them into the log.
    log.error({ code: isPlinthError(error) ? error.code : undefined }, 'enc request failed');
    return c.json({ error: { code: 'API_INTERNAL', message: 'internal error; see the controller log' } }, 500);
  });
  return app;
}

/**
 * Serves the ENC app over HTTPS only, asking every client for a certificate and refusing the handshake of
 * a client without one, or with one the cluster CA did not sign. There is no plain-HTTP listener.
 * Example: `await startEncServer(createEncApp(deps), { host: '0.0.0.0', port: 8140, tls })`.
 */
export function startEncServer(app: Hono<EncEnv>, options: EncServerOptions): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({
      fetch: app.fetch,
      hostname: options.host,
      port: options.port,
      createServer,
      serverOptions: {
        cert: options.tls.certificatePem,
        key: options.tls.keyPem,
        ca: [...options.tls.clientCaPems],
        requestCert: true,
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
      },
    }) as Server;
    server.requestTimeout = options.requestTimeoutMs ?? 30_000;
    server.once('error', (error) => reject(new PlinthError('ENC_LISTEN', `cannot listen on ${options.host}:${options.port}`, { cause: error, details: { host: options.host, port: options.port } })));
    server.once('listening', () => {
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        url: `https://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
