import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createApp, type ApiDeps } from '../../reconciler/api/app.js';
import { startServer } from '../../reconciler/api/server.js';
import { silentLogger } from '../../reconciler/lib/logger.js';
import { SqliteStore } from '../../reconciler/store/sqlite/sqlite-store.js';

export type Transport = 'in-process' | 'socket';

export interface ApiHarness {
  store: SqliteStore;
  /** The store's SQLite file, for checks on what exactly was written. */
  databasePath: string;
  /** Sends a request the way the transport does: `app.request()` or fetch over loopback TCP. */
  send(path: string, init: RequestInit): Promise<Response>;
  /** Moves the injected clock. */
  setTime(iso: string): void;
  close(): Promise<void>;
}

/**
 * A real store in a temporary directory behind the real app. In-process requests carry a socket address
 * in the env, as @hono/node-server would, so per-source rules see a peer.
 */
export async function openApiHarness(
  transport: Transport,
  reports: ApiDeps['reports'] = {},
  peer = '10.1.2.3',
  analyseReport?: ApiDeps['analyseReport'],
): Promise<ApiHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-api-'));
  const databasePath = join(dir, 'plinth.db');
  const store = SqliteStore.open(databasePath);
  let now = new Date('2026-01-01T00:00:00.000Z');
  const app = createApp({ store, log: silentLogger(), clock: () => now, reports: { rateLimit: false, ...reports }, ...(analyseReport ? { analyseReport } : {}) });
  const server = transport === 'socket' ? await startServer(app, { host: '127.0.0.1', port: 0 }) : undefined;
  const env = { incoming: { socket: { remoteAddress: peer } } };
  return {
    store,
    databasePath,
    send: (path, init) => (server ? fetch(`${server.url}${path}`, init) : Promise.resolve(app.request(path, init, env))),
    setTime: (iso) => {
      now = new Date(iso);
    },
    close: async () => {
      await server?.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A POST of the JSON of `body`, gzip-compressed as the agent sends it (`Content-Encoding: gzip`). */
export function postGzip(body: unknown, headers: Record<string, string> = {}): RequestInit {
  const compressed = gzipSync(typeof body === 'string' ? body : JSON.stringify(body));
  return { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...headers }, body: compressed };
}

export function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) };
}
