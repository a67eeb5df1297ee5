/**
 * A Redfish BMC for tests: HTTPS on loopback with a certificate from a test CA, serving the DMTF public
 * rack-server mockup (tests/fixtures/redfish, BSD-3, see its LICENSE.md) and implementing what plinth drives:
 * ComputerSystem.Reset, PATCH of Boot, SessionService sessions (X-Auth-Token) and basic auth.
 * Fault modes: slow answers and 5xx answers. Every request is recorded (without credentials).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCertificateAuthority } from './test-ca.js';
import { createMockupStore, redfishError, type MockupStore } from './redfish-mockup.js';

export interface RecordedCall {
  method: string;
  path: string;
  auth: 'token' | 'basic' | 'none';
  body?: unknown;
}

export interface RedfishFaults {
  /** Delay before every answer. */
  delayMs?: number;
  /** Answer the next `count` requests (all when absent) with this 5xx status. */
  failStatus?: number;
  failCount?: number;
}

export interface RedfishServer {
  /** The BMC address plinth takes: `redfish+https://127.0.0.1:PORT/redfish/v1/Systems/ID`. */
  url: string;
  origin: string;
  /** PEM of the CA that signed the server certificate: pin it as the target's `caCertificate`. */
  caCertificate: string;
  username: string;
  password: string;
  calls: RecordedCall[];
  /** The live system resource (PowerState, Boot). */
  system(): Record<string, unknown>;
  setFaults(faults: RedfishFaults): void;
  /** Forgets every session, as a BMC does after a reboot or timeout. */
  dropSessions(): void;
  stop(): Promise<void>;
}

export interface StartRedfishOptions {
  username?: string;
  password?: string;
}

const SESSIONS = '/redfish/v1/SessionService/Sessions';

function sendJson(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 65_536) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

export async function startRedfishServer(options: StartRedfishOptions = {}): Promise<RedfishServer> {
  const username = options.username ?? 'root';
  const password = options.password ?? 'calvin';
  const ca = await createCertificateAuthority('plinth test BMC CA');
  const tls = await ca.issue('127.0.0.1');
  const store: MockupStore = await createMockupStore();
  const sessions = new Map<string, string>();
  const calls: RecordedCall[] = [];
  let faults: RedfishFaults = {};
  // Cuts the waits of slow answers short when the server stops.
  const stopping = new AbortController();

  function authOf(req: IncomingMessage): RecordedCall['auth'] | 'bad' {
    const token = req.headers['x-auth-token'];
    if (typeof token === 'string') return [...sessions.values()].includes(token) ? 'token' : 'bad';
    const header = req.headers.authorization;
    if (header === undefined) return 'none';
    const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    return header === expected ? 'basic' : 'bad';
  }

  function login(body: unknown, res: ServerResponse): void {
    const given = body as { UserName?: unknown; Password?: unknown } | undefined;
    if (given?.UserName !== username || given.Password !== password) {
      sendJson(res, 401, redfishError('Invalid username or password', 'Base.1.8.NoValidSession'));
      return;
    }
    const id = randomBytes(8).toString('hex');
    const token = randomBytes(24).toString('hex');
    sessions.set(id, token);
    const location = `${SESSIONS}/${id}`;
    sendJson(res, 201, { '@odata.id': location, Id: id, UserName: username }, { 'x-auth-token': token, location });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'https://localhost').pathname.replace(/\/+$/, '') || '/';
    const body = method === 'GET' ? undefined : await readBody(req);
    const auth = authOf(req);
    const recordedBody = path === SESSIONS && method === 'POST' ? { UserName: (body as { UserName?: unknown } | undefined)?.UserName } : body;
    calls.push({ method, path, auth: auth === 'bad' ? 'none' : auth, ...(recordedBody === undefined ? {} : { body: recordedBody }) });
    if (faults.delayMs) await sleep(faults.delayMs, undefined, { signal: stopping.signal });
    if (faults.failStatus && (faults.failCount === undefined || faults.failCount > 0)) {
      if (faults.failCount !== undefined) faults.failCount -= 1;
      sendJson(res, faults.failStatus, redfishError('The service is temporarily unavailable'));
      return;
    }
    if (method === 'POST' && path === SESSIONS) return login(body, res);
    if (path !== '/redfish/v1' && (auth === 'none' || auth === 'bad')) {
      sendJson(res, 401, redfishError('Authentication required', 'Base.1.8.NoValidSession'));
      return;
    }
    if (method === 'DELETE' && path.startsWith(`${SESSIONS}/`)) {
      sessions.delete(path.slice(SESSIONS.length + 1));
      sendJson(res, 204);
      return;
    }
    const answer = await store.handle(method, path, body);
    sendJson(res, answer.status, answer.body);
  }

  const server: Server = createServer({ key: tls.key, cert: tls.certificate }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 400, redfishError(`Malformed request: ${String(error)}`, 'Base.1.8.MalformedJSON'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `https://127.0.0.1:${port}`;
  return {
    url: `redfish+https://127.0.0.1:${port}${store.systemPath}`,
    origin,
    caCertificate: ca.certificate,
    username,
    password,
    calls,
    system: () => store.system(),
    setFaults: (next) => {
      faults = { ...next };
    },
    dropSessions: () => sessions.clear(),
    stop: async () => {
      stopping.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ca.dispose();
    },
  };
}
