import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import type { DesiredStatus } from '../../reconciler/report/forges/types.js';

/** One recorded exchange, transcribed from the forge's API documentation. */
export interface Interaction {
  request: { method: string; path: string; headers: Record<string, string>; body?: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

export interface Contract {
  documentation: string[];
  scenario: string;
  project: string;
  token: string;
  desired: DesiredStatus;
  expect: { posted: boolean } | { error: { code: string; transient: boolean } };
  interactions: Interaction[];
}

export const CONTRACT_ROOT = new URL('../fixtures/forge-contracts/', import.meta.url).pathname;

export async function loadContracts(forge: string): Promise<{ name: string; contract: Contract }[]> {
  const dir = join(CONTRACT_ROOT, forge);
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(names.map(async (name) => ({ name, contract: JSON.parse(await readFile(join(dir, name), 'utf8')) as Contract })));
}

/**
 * Replays a contract's interactions in order on 127.0.0.1. A request that differs from the next recorded
 * one (method, path with query, required headers, JSON body) is recorded as a mismatch and answered 599,
 * so a driver that strays from the documented API fails its test.
 */
export class ContractServer {
  readonly mismatches: string[] = [];
  private next = 0;
  private server: Server | undefined;

  constructor(
    private readonly interactions: Interaction[],
    private readonly substitutions: Record<string, string> = {},
  ) {}

  get remaining(): number {
    return this.interactions.length - this.next;
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      void readBody(request).then((body) => {
        const reply = this.answer(request, body);
        response.writeHead(reply.status, reply.headers);
        response.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private answer(request: IncomingMessage, body: string): { status: number; headers: Record<string, string>; body: string } {
    const expected = this.interactions[this.next];
    const problems = expected ? compareRequest(expected.request, request, body) : [`unexpected extra request ${request.method} ${request.url}`];
    if (!expected || problems.length > 0) {
      this.mismatches.push(...problems);
      return { status: 599, headers: { 'content-type': 'text/plain' }, body: problems.join('\n') };
    }
    this.next += 1;
    const text = typeof expected.response.body === 'string' ? expected.response.body : JSON.stringify(expected.response.body);
    return { status: expected.response.status, headers: this.substitute(expected.response.headers), body: text };
  }

  private substitute(headers: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.replace(/\{\{(\w+)\}\}/g, (_all, key: string) => this.substitutions[key] ?? '')]));
  }
}

function compareRequest(expected: Interaction['request'], request: IncomingMessage, body: string): string[] {
  const problems: string[] = [];
  const where = `${expected.method} ${expected.path}`;
  if (request.method !== expected.method || request.url !== expected.path) problems.push(`expected ${where}, got ${request.method} ${request.url}`);
  for (const [name, value] of Object.entries(expected.headers)) {
    const actual = String(request.headers[name] ?? '');
    const matches = name === 'content-type' ? actual.split(';')[0]?.trim() === value : actual === value;
    if (!matches) problems.push(`${where}: header ${name} expected "${value}", got "${name === 'authorization' ? '(withheld)' : actual}"`);
  }
  if (expected.body !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = body;
    }
    if (!isDeepStrictEqual(parsed, expected.body)) problems.push(`${where}: body expected ${JSON.stringify(expected.body)}, got ${body}`);
  } else if (body !== '') problems.push(`${where}: expected no body, got ${body}`);
  return problems;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
