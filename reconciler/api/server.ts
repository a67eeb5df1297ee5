import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { PlinthError } from '../lib/errors.js';
import type { ApiEnv } from './middleware/api-env.js';

export interface ServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** A client that has not sent its whole request by then is cut off (slow-body protection). */
  requestTimeoutMs?: number;
  /**
   * Connections the kernel may queue before the server accepts them. A rack powering on opens hundreds at
   * once; past this queue (and `net.core.somaxconn`, which caps it) the kernel drops the handshake and the
   * client retries only after a second, then three. Node's default is 511.
   */
  backlog?: number;
}

/** Room for a few racks of machines whose reports arrive in the same instant. */
export const DEFAULT_LISTEN_BACKLOG = 4096;

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish, and resolves when the socket is closed. */
  close(): Promise<void>;
}

/** Serves an app on Node's HTTP server; resolves once listening. @example await startServer(app, { host: '127.0.0.1', port: 8080 }) */
export function startServer(app: Hono<ApiEnv>, options: ServerOptions): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = createAdaptorServer({ fetch: app.fetch }) as Server;
    server.requestTimeout = options.requestTimeoutMs ?? 30_000;
    server.once('error', (error) => {
      reject(new PlinthError('API_LISTEN', `cannot listen on ${options.host}:${options.port}`, { cause: error, details: { ...options } }));
    });
    server.once('listening', () => {
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeIdleConnections();
          }),
      });
    });
    server.listen({ host: options.host, port: options.port, backlog: options.backlog ?? DEFAULT_LISTEN_BACKLOG });
  });
}
