import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readLimitedIncoming } from './json-body.js';

const LIMIT = 64 * 1024;
let server: Server;
let port: number;
/** Failures readLimitedIncoming gave, for requests whose client went away before any answer could reach it. */
const failures: string[] = [];

/** The server answers with what readLimitedIncoming made of the request: the byte count, or the refusal. */
async function answer(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const body = await readLimitedIncoming(incoming, LIMIT);
    res.writeHead(200).end(JSON.stringify({ bytes: body.byteLength, sum: body.reduce((sum, byte) => sum + byte, 0) }));
  } catch (error) {
    const refusal = error as { status?: number; code?: string; message?: string };
    failures.push(refusal.code ?? refusal.message ?? 'unknown');
    if (!res.destroyed) res.writeHead(refusal.status ?? 500, { connection: 'close' }).end(JSON.stringify({ code: refusal.code }));
  }
}

/** Sends `chunks` (chunked encoding unless a length is declared); resolves with the status and body, or the socket error. */
function send(chunks: Buffer[], headers: Record<string, string | number> = {}): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

beforeAll(async () => {
  server = createServer((incoming, res) => void answer(incoming, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('readLimitedIncoming', () => {
  it('returns a chunked body whole, byte for byte', async () => {
    const chunks = [Buffer.alloc(20_000, 1), Buffer.alloc(20_000, 2), Buffer.alloc(100, 3)];
    const result = await send(chunks);
    expect(result).toEqual({ status: 200, body: JSON.stringify({ bytes: 40_100, sum: 20_000 + 40_000 + 300 }) });
  });

  it('refuses a declared length over the limit with 413 before reading the body', async () => {
    const result = await send([Buffer.alloc(10)], { 'content-length': LIMIT + 1 });
    expect(result).toMatchObject({ status: 413, body: JSON.stringify({ code: 'API_BODY_TOO_LARGE' }) });
  });

  it('fails, instead of waiting forever, when the client hangs up in the middle of the body', async () => {
    failures.length = 0;
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'content-length': 1000 } });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(100));
    await new Promise((resolve) => setTimeout(resolve, 100));
    req.destroy();
    for (let waited = 0; failures.length === 0 && waited < 100; waited++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(failures).toHaveLength(1);
  });

  it('stops reading a chunked body once it passes the limit', async () => {
    const result = await send(Array.from({ length: 8 }, () => Buffer.alloc(16 * 1024, 7)));
    // The request is destroyed as soon as the limit is passed, so the client sees the 413 or a reset, never a 200.
    if ('status' in result) expect(result.status).toBe(413);
    else expect(result.error).toMatch(/ECONNRESET|EPIPE/);
  });
});
