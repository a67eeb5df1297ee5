import { gunzipSync } from 'node:zlib';
import { HttpError } from './http-error.js';

/**
 * How a report body arrived. The agent gzips its report (tool output shrinks about ninefold), and the
 * controller keeps those bytes as its stored copy instead of compressing the body again.
 */
export type ReportBodyCoding = { kind: 'identity' } | { kind: 'gzip'; inflatedLimitBytes: number };

export const IDENTITY_CODING: ReportBodyCoding = { kind: 'identity' };

/**
 * Reads the request's Content-Encoding: none or `identity` is plain JSON, `gzip` (or its old alias
 * `x-gzip`) is inflated up to `inflatedLimitBytes`, the same limit a plain body has. Anything else,
 * including a chain of codings, is refused with 415 (RFC 9110 §8.4.1) and nothing is read.
 *
 * @example chooseBodyCoding('gzip', 2_097_152) // { kind: 'gzip', inflatedLimitBytes: 2097152 }
 */
export function chooseBodyCoding(contentEncoding: string | undefined, inflatedLimitBytes: number): ReportBodyCoding {
  const coding = (contentEncoding ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return IDENTITY_CODING;
  if (coding === 'gzip' || coding === 'x-gzip') return { kind: 'gzip', inflatedLimitBytes };
  throw new HttpError(415, 'API_UNSUPPORTED_ENCODING', `content-encoding must be gzip or absent, got ${JSON.stringify(contentEncoding)}`, {
    headers: { 'Accept-Encoding': 'gzip' },
  });
}

/**
 * Inflates a gzip body without ever holding more than the limit: zlib stops at `maxOutputLength`, so a
 * small body that would inflate to gigabytes (a zip bomb) costs at most the limit in memory and is
 * refused with 413.
 */
export function inflateReportBody(raw: Uint8Array, inflatedLimitBytes: number): Buffer {
  try {
    return gunzipSync(raw, { maxOutputLength: inflatedLimitBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new HttpError(413, 'API_BODY_TOO_LARGE', `request body inflates past the limit of ${inflatedLimitBytes} bytes`, { cause: error });
    }
    throw new HttpError(400, 'API_BAD_ENCODING', 'request body is not valid gzip', { cause: error });
  }
}
