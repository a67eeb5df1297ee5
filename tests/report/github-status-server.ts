import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * GitHub's commit-status REST API, as documented, on 127.0.0.1: it answers as GitHub does and refuses what
 * GitHub refuses, so a client that strays from the documented contract fails its test.
 * https://docs.github.com/en/rest/commits/statuses (create a commit status; get the combined status for a
 * specific reference; list commit statuses for a reference).
 */

export interface GithubStatus {
  id: number;
  state: 'error' | 'failure' | 'pending' | 'success';
  description: string | null;
  target_url: string | null;
  context: string;
  created_at: string;
  updated_at: string;
}

export interface GithubStatusServerOptions {
  owner: string;
  repo: string;
  token: string;
}

const STATES = new Set(['error', 'failure', 'pending', 'success']);
const BODY_FIELDS = new Set(['state', 'target_url', 'description', 'context']);
/** GitHub refuses a description longer than this with 422. */
const MAX_DESCRIPTION = 140;
const MAX_BODY = 64 * 1024;

type Reply = { status: number; body: unknown };

export class GithubStatusServer {
  /** Every status created, per commit, oldest first. */
  readonly statuses = new Map<string, GithubStatus[]>();
  /** Requests GitHub would have refused, with the reason: a correct client leaves this empty. */
  readonly refusals: string[] = [];
  /** Requests answered while `unavailable` was set. */
  unavailableAnswers = 0;
  /** When set, every request gets `503 Service Unavailable`, as during a GitHub outage. */
  unavailable = false;
  /** When set, requests are read and never answered (a forge that hangs); `stop` ends them. */
  stalled = false;
  /** Every answer waits this long first (a slow forge). */
  delayMs = 0;
  private server: Server | undefined;
  private nextId = 1;

  constructor(private readonly options: GithubStatusServerOptions) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The states posted on `sha`, in order. */
  statesOf(sha: string): string[] {
    return (this.statuses.get(sha) ?? []).map((status) => status.state);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    if (this.stalled) return;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const reply = this.unavailable ? this.answerUnavailable() : this.answer(request, body);
    response.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(reply.body));
  }

  private answerUnavailable(): Reply {
    this.unavailableAnswers += 1;
    return { status: 503, body: { message: 'Service Unavailable' } };
  }

  private refuse(status: number, reason: string): Reply {
    this.refusals.push(reason);
    return { status, body: { message: reason, documentation_url: 'https://docs.github.com/rest/commits/statuses' } };
  }

  private answer(request: IncomingMessage, body: string): Reply {
    const headerProblem = this.checkHeaders(request);
    if (headerProblem) return headerProblem;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const prefix = `/repos/${this.options.owner}/${this.options.repo}`;
    const create = new RegExp(`^${prefix}/statuses/([^/]+)$`).exec(url.pathname);
    const read = new RegExp(`^${prefix}/commits/([^/]+)/(status|statuses)$`).exec(url.pathname);
    if (request.method === 'POST' && create?.[1]) return this.createStatus(create[1], request, body);
    if (request.method === 'GET' && read?.[1] && body === '') return read[2] === 'status' ? this.combinedStatus(read[1], url) : this.listStatuses(read[1]);
    return this.refuse(404, `Not Found: ${request.method} ${url.pathname}`);
  }

  private checkHeaders(request: IncomingMessage): Reply | undefined {
    const authorization = request.headers.authorization;
    if (authorization === undefined) return this.refuse(401, 'Requires authentication');
    if (authorization !== `Bearer ${this.options.token}` && authorization !== `token ${this.options.token}`) return this.refuse(401, 'Bad credentials');
    // GitHub forbids API requests without a User-Agent.
    if (!request.headers['user-agent']) return this.refuse(403, 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header');
    const version = request.headers['x-github-api-version'];
    if (version !== undefined && version !== '2022-11-28') return this.refuse(400, `API version ${String(version)} is not supported`);
    return undefined;
  }

  private createStatus(sha: string, request: IncomingMessage, body: string): Reply {
    if (!/^[0-9a-f]{40}$/.test(sha)) return this.refuse(422, `No commit found for SHA: ${sha}`);
    if ((request.headers['content-type'] ?? '').split(';')[0]?.trim() !== 'application/json') return this.refuse(415, 'Unsupported Media Type');
    const input = parseObject(body);
    if (!input) return this.refuse(400, 'Problems parsing JSON');
    const unknown = Object.keys(input).filter((key) => !BODY_FIELDS.has(key));
    if (unknown.length > 0) return this.refuse(422, `Unexpected fields: ${unknown.join(', ')}`);
    const { state, description, context, target_url: targetUrl } = input;
    if (typeof state !== 'string' || !STATES.has(state)) return this.refuse(422, `Invalid request: state ${JSON.stringify(state)} is not one of error, failure, pending, success`);
    if (description !== undefined && description !== null && typeof description !== 'string') return this.refuse(422, 'Invalid request: description is not a string');
    if (typeof description === 'string' && [...description].length > MAX_DESCRIPTION) return this.refuse(422, 'Validation Failed: description is too long (maximum is 140 characters)');
    if (context !== undefined && typeof context !== 'string') return this.refuse(422, 'Invalid request: context is not a string');
    if (targetUrl !== undefined && targetUrl !== null && typeof targetUrl !== 'string') return this.refuse(422, 'Invalid request: target_url is not a string');
    const now = new Date().toISOString();
    const status: GithubStatus = {
      id: this.nextId++,
      state: state as GithubStatus['state'],
      description: description ?? null,
      target_url: targetUrl ?? null,
      context: context ?? 'default',
      created_at: now,
      updated_at: now,
    };
    this.statuses.set(sha, [...(this.statuses.get(sha) ?? []), status]);
    return { status: 201, body: { url: `https://api.github.com/repos/${this.options.owner}/${this.options.repo}/statuses/${sha}`, node_id: `SC_${status.id}`, ...status } };
  }

  /** Reverse chronological, as GitHub lists them. */
  private listStatuses(ref: string): Reply {
    return { status: 200, body: [...(this.statuses.get(ref) ?? [])].reverse() };
  }

  /** The latest status per context, and a combined state: failure if any failed, pending if any pending or none, else success. */
  private combinedStatus(ref: string, url: URL): Reply {
    const perPage = url.searchParams.get('per_page');
    if (perPage !== null && !(Number(perPage) >= 1 && Number(perPage) <= 100)) return this.refuse(422, `per_page must be between 1 and 100, got ${perPage}`);
    const latest = new Map<string, GithubStatus>();
    for (const status of this.statuses.get(ref) ?? []) latest.set(status.context.toLowerCase(), status);
    const statuses = [...latest.values()];
    const states = statuses.map((status) => status.state);
    const state = states.some((value) => value === 'failure' || value === 'error') ? 'failure' : states.length === 0 || states.includes('pending') ? 'pending' : 'success';
    return { status: 200, body: { state, statuses, sha: ref, total_count: statuses.length, commit_url: `https://api.github.com/repos/${this.options.owner}/${this.options.repo}/commits/${ref}` } };
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
