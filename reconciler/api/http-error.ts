import { PlinthError, type PlinthErrorOptions } from '../lib/errors.js';

/** One problem in a request, located by JSON path (`$.sections.dmidecode`) or by position in the body. */
export interface RequestProblem {
  path?: string;
  line?: number;
  column?: number;
  message: string;
}

export interface HttpErrorOptions extends PlinthErrorOptions {
  problems?: RequestProblem[];
  /** Response headers, e.g. `Retry-After` or `Connection: close`. */
  headers?: Record<string, string>;
}

/**
 * An error that is meant to become an HTTP response: the status, a stable code, a message safe to show
 * the client, and the located problems. The API's single error handler turns it into JSON.
 *
 * @example throw new HttpError(415, 'API_UNSUPPORTED_MEDIA_TYPE', 'content-type must be application/json')
 */
export class HttpError extends PlinthError {
  readonly status: number;
  readonly problems: RequestProblem[];
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, options: HttpErrorOptions = {}) {
    super(code, message, options);
    this.name = 'HttpError';
    this.status = status;
    this.problems = options.problems ?? [];
    this.headers = options.headers ?? {};
  }
}

export function isHttpError(error: unknown): error is HttpError {
  return error instanceof HttpError;
}
