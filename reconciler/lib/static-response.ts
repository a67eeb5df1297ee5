import { parseRangeHeader, type ByteRange } from './http-range.js';

/** What a static file response depends on. */
export interface StaticFile {
  size: number;
  mtimeMs: number;
  contentType: string;
}

/** The request headers that change a static response. */
export interface StaticRequest {
  method: string;
  range?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifRange?: string;
}

/** The decided response: status, headers, and which bytes to send (none for HEAD, 304 and 416). */
export interface StaticResponsePlan {
  status: 200 | 206 | 304 | 416;
  headers: Record<string, string>;
  body?: ByteRange;
}

/** A strong validator from size and modification time, as common static servers build theirs. */
export function buildEtag(file: Pick<StaticFile, 'size' | 'mtimeMs'>): string {
  return `"${Math.floor(file.mtimeMs).toString(16)}-${file.size.toString(16)}"`;
}

/**
 * Decides a GET/HEAD response for a static file: conditional requests (RFC 9110 §13) and a single byte range.
 * Pure, so that the HTTP adapters (Hono, node:http) only copy the plan onto the wire.
 */
export function planStaticResponse(file: StaticFile, request: StaticRequest, cacheControl: string): StaticResponsePlan {
  const etag = buildEtag(file);
  const lastModified = new Date(Math.floor(file.mtimeMs / 1000) * 1000);
  const validators = { ETag: etag, 'Last-Modified': lastModified.toUTCString(), 'Cache-Control': cacheControl };
  if (isNotModified(request, etag, lastModified)) return { status: 304, headers: validators };

  const base = { ...validators, 'Accept-Ranges': 'bytes', 'Content-Type': file.contentType };
  const range = rangeApplies(request, etag, lastModified) ? parseRangeHeader(request.range, file.size) : undefined;
  if (range === 'unsatisfiable') {
    return { status: 416, headers: { ...base, 'Content-Range': `bytes */${file.size}`, 'Content-Length': '0' } };
  }
  const body = range ?? { start: 0, end: file.size - 1 };
  const headers: Record<string, string> = { ...base, 'Content-Length': String(Math.max(0, body.end - body.start + 1)) };
  if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${file.size}`;
  const sendsBody = request.method !== 'HEAD' && file.size > 0;
  return { status: range ? 206 : 200, headers, ...(sendsBody ? { body } : {}) };
}

function isNotModified(request: StaticRequest, etag: string, lastModified: Date): boolean {
  if (request.ifNoneMatch !== undefined) {
    // Weak comparison: W/"x" matches "x" for If-None-Match.
    const tags = request.ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(etag);
  }
  if (request.ifModifiedSince !== undefined) {
    const since = Date.parse(request.ifModifiedSince);
    return !Number.isNaN(since) && lastModified.getTime() <= since;
  }
  return false;
}

/** If-Range: the range is honoured only when the client's copy is still current (strong match or exact date). */
function rangeApplies(request: StaticRequest, etag: string, lastModified: Date): boolean {
  if (request.ifRange === undefined) return true;
  const value = request.ifRange.trim();
  if (value.startsWith('"')) return value === etag;
  return Date.parse(value) === lastModified.getTime();
}
