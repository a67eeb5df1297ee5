import { PlinthError } from '../../lib/errors.js';
import { RateGate, rateLimited } from './rate-gate.js';
import type { ForgeDriverConfig } from './types.js';

export interface ForgeRequest {
  method: 'GET' | 'POST';
  /** Path below the API root, already escaped, with any query string. */
  path: string;
  body?: unknown;
}

/** The HTTP side every forge driver shares: auth header, JSON, timeouts, rate limits, typed errors. */
export class ForgeHttp {
  private readonly gate: RateGate;
  private readonly fetch: typeof fetch;
  private prepaid = 0;

  constructor(
    private readonly forge: string,
    private readonly config: ForgeDriverConfig,
    private readonly headers: Record<string, string>,
  ) {
    const rate = config.rate ?? { perSecond: 1, burst: 10 };
    this.gate = new RateGate(rate.perSecond, rate.burst, config.now);
    this.fetch = config.fetch ?? fetch;
  }

  /**
   * Takes the request budget of a whole operation (read, then write) before its first request: admitted
   * one request at a time, an operation refused halfway would spend its read's token again on every retry
   * and never get through at a steady rate.
   */
  admit(requests: number): void {
    this.gate.admit(this.forge, requests);
    this.prepaid = requests;
  }

  async send<T>(request: ForgeRequest): Promise<T> {
    if (this.prepaid > 0) this.prepaid -= 1;
    else this.gate.admit(this.forge);
    const response = await this.fetchOrThrow(request);
    const waitMs = this.gate.observe(response.headers);
    const text = await response.text();
    if (response.ok) return (text === '' ? undefined : JSON.parse(text)) as T;
    const details = { forge: this.forge, method: request.method, path: request.path, status: response.status };
    if (response.status === 429 || (response.status === 403 && waitMs !== undefined)) {
      throw rateLimited(this.forge, waitMs ?? 60_000, `HTTP ${response.status}`);
    }
    if (response.status >= 500) {
      throw new PlinthError('FORGE_UNAVAILABLE', `${this.forge} answered ${response.status} to ${request.method} ${request.path}`, { transient: true, details });
    }
    throw new PlinthError('FORGE_REJECTED', `${this.forge} refused ${request.method} ${request.path} with ${response.status}: ${summarize(text)}`, { details });
  }

  private async fetchOrThrow(request: ForgeRequest): Promise<Response> {
    const url = `${this.config.baseUrl.replace(/\/+$/, '')}${request.path}`;
    try {
      return await this.fetch(url, {
        method: request.method,
        headers: { ...this.headers, ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.config.timeoutMs ?? 15_000),
      });
    } catch (error) {
      // The cause is kept for logs; it holds the URL, never the Authorization header.
      throw new PlinthError('FORGE_UNREACHABLE', `${this.forge} unreachable for ${request.method} ${request.path}`, {
        cause: error,
        transient: true,
        details: { forge: this.forge, path: request.path },
      });
    }
  }
}

/** The forge's own error message, short; bodies of error responses never echo our token. */
function summarize(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
    return String(parsed.message ?? parsed.error ?? text).slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}
