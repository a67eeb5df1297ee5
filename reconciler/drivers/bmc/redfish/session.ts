import { BmcError } from '../errors.js';
import type { BmcTarget } from '../types.js';
import type { HttpMethod, HttpRequester, HttpResponse } from './http-client.js';

export type RedfishAuthMode = 'session' | 'basic';

export interface RedfishCall {
  method: HttpMethod;
  /** Path under the BMC origin, e.g. `/redfish/v1/Systems/1`. */
  path: string;
  body?: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
}

const SESSIONS_PATH = '/redfish/v1/SessionService/Sessions';

/** The Redfish error message of a failed call (`error.@Message.ExtendedInfo[0].Message`), when there is one. */
interface RedfishErrorBody {
  error?: { message?: unknown; '@Message.ExtendedInfo'?: Array<{ Message?: unknown }> };
}

function redfishMessage(body: unknown): string | undefined {
  const error = (body as RedfishErrorBody | undefined)?.error;
  const extended = error?.['@Message.ExtendedInfo']?.[0]?.Message;
  if (typeof extended === 'string') return extended;
  return typeof error?.message === 'string' ? error.message : undefined;
}

/** Maps a non-2xx answer to a typed error; 5xx is transient (the BMC is busy or restarting), 4xx is not. */
export function statusError(
  response: HttpResponse,
  origin: string,
  call: Pick<RedfishCall, 'method' | 'path'>,
): BmcError {
  const status = response.status;
  const said = redfishMessage(response.body);
  const details = { address: origin, method: call.method, path: call.path, status, ...(said ? { message: said } : {}) };
  const request = `${call.method} ${call.path}`;
  if (status === 401 || status === 403) {
    return new BmcError('BMC_AUTH', `BMC ${origin} refused the credentials (HTTP ${status})`, { details });
  }
  if (status === 404 || status === 405 || status === 501) {
    return new BmcError('BMC_UNSUPPORTED', `BMC ${origin} does not support ${request} (HTTP ${status})`, { details });
  }
  const transient = status >= 500 || status === 429;
  const message = `BMC ${origin} answered ${request} with HTTP ${status}${said ? `: ${said}` : ''}`;
  return new BmcError('BMC_PROTOCOL', message, { details, transient });
}

/**
 * Authenticated Redfish calls. With `session` auth, one session per BMC and user is opened on first use
 * (SessionService, `X-Auth-Token`), reused, and reopened once when the BMC forgets it; BMCs without a
 * SessionService fall back to basic auth. Tokens live only in memory.
 */
export function createSessionCaller(request: HttpRequester, mode: RedfishAuthMode) {
  const tokens = new Map<string, string>();
  const basicOnly = new Set<string>();

  function basicHeader(target: BmcTarget): string {
    const { username, password } = target.credentials;
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  async function login(target: BmcTarget, origin: string, call: RedfishCall): Promise<string | undefined> {
    const { username, password } = target.credentials;
    const response = await request({
      method: 'POST',
      url: origin + SESSIONS_PATH,
      body: { UserName: username, Password: password },
      timeoutMs: call.timeoutMs,
      ...(target.caCertificate ? { ca: target.caCertificate } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
    });
    if (response.status === 404 || response.status === 405 || response.status === 501) return undefined;
    if (response.status < 200 || response.status > 299) {
      throw statusError(response, origin, { method: 'POST', path: SESSIONS_PATH });
    }
    const token = response.headers['x-auth-token'];
    if (typeof token !== 'string' || token === '') {
      const details = { address: origin };
      throw new BmcError('BMC_PROTOCOL', `BMC ${origin} opened a session without an X-Auth-Token`, { details });
    }
    return token;
  }

  async function authHeader(target: BmcTarget, origin: string, call: RedfishCall): Promise<Record<string, string>> {
    const key = `${origin} ${target.credentials.username}`;
    if (mode === 'basic' || basicOnly.has(key)) return { authorization: basicHeader(target) };
    let token = tokens.get(key);
    if (token === undefined) {
      token = await login(target, origin, call);
      if (token === undefined) {
        basicOnly.add(key);
        return { authorization: basicHeader(target) };
      }
      tokens.set(key, token);
    }
    return { 'x-auth-token': token };
  }

  async function send(target: BmcTarget, origin: string, call: RedfishCall): Promise<HttpResponse> {
    return request({
      method: call.method,
      url: origin + call.path,
      headers: await authHeader(target, origin, call),
      body: call.body,
      timeoutMs: call.timeoutMs,
      ...(target.caCertificate ? { ca: target.caCertificate } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
    });
  }

  /** Sends an authenticated call and returns its 2xx answer; other statuses become typed errors. */
  return async function callRedfish(target: BmcTarget, origin: string, call: RedfishCall): Promise<HttpResponse> {
    const key = `${origin} ${target.credentials.username}`;
    let response = await send(target, origin, call);
    if (response.status === 401 && tokens.has(key)) {
      // The BMC expired or dropped our session: log in again, once.
      tokens.delete(key);
      response = await send(target, origin, call);
    }
    if (response.status < 200 || response.status > 299) throw statusError(response, origin, call);
    return response;
  };
}

export type RedfishCaller = ReturnType<typeof createSessionCaller>;
