import { request } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { BmcError } from '../errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** PEM the server certificate must chain to; the system store is used when absent. */
  ca?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

export type HttpRequester = (req: HttpRequest) => Promise<HttpResponse>;

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
]);

/** TLS verification failures: the peer is not the BMC we pinned, which waiting will not fix. */
function isTlsFailure(code: string): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/.test(code);
}

function mapSocketError(error: NodeJS.ErrnoException, origin: string): BmcError {
  const code = error.code ?? 'UNKNOWN';
  const details = { address: origin, code };
  if (isTlsFailure(code)) {
    const message = `BMC ${origin} presented a certificate that does not chain to its pinned CA (${code})`;
    return new BmcError('BMC_AUTH', message, { cause: error, details: { ...details, reason: 'tls-verify' } });
  }
  const reason = UNREACHABLE_CODES.has(code) ? code : error.message;
  return new BmcError('BMC_UNREACHABLE', `BMC ${origin} is unreachable (${reason})`, { cause: error, details });
}

function parseBody(text: string, origin: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const details = { address: origin };
    throw new BmcError('BMC_PROTOCOL', `BMC ${origin} answered with a body that is not JSON`, { cause, details });
  }
}

/** Reads a whole answer, refusing one larger than a BMC has any reason to send. */
function readResponse(res: IncomingMessage, origin: string): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      const details = { address: origin, limitBytes: MAX_BODY_BYTES };
      res.destroy(new BmcError('BMC_PROTOCOL', `BMC ${origin} sent an oversized answer`, { details }));
    });
    res.on('end', () => {
      try {
        const body = parseBody(Buffer.concat(chunks).toString('utf8'), origin);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      } catch (error) {
        reject(error);
      }
    });
    res.on('error', (error) => reject(error instanceof BmcError ? error : mapSocketError(error, origin)));
  });
}

/** One HTTPS request with a JSON body, bounded in time and size. Never logs: headers may carry a token. */
export const requestJson: HttpRequester = (req) => {
  const url = new URL(req.url);
  const origin = url.origin;
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const options = { method: req.method, headers, agent: false as const, ...(req.ca ? { ca: req.ca } : {}) };
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const call = request(url, options, (res) => {
      readResponse(res, origin).then(
        (response) => settle(() => resolve(response)),
        (error: unknown) => settle(() => reject(error)),
      );
    });
    const timer = setTimeout(() => {
      const details = { address: origin, method: req.method, path: url.pathname };
      const error = new BmcError('BMC_TIMEOUT', `BMC ${origin} did not answer within ${req.timeoutMs} ms`, { details });
      settle(() => reject(error));
      call.destroy();
    }, req.timeoutMs);
    call.on('error', (error: NodeJS.ErrnoException) => settle(() => reject(mapSocketError(error, origin))));
    req.signal?.addEventListener('abort', () => call.destroy(new Error('aborted')), { once: true });
    call.end(payload);
  });
};
