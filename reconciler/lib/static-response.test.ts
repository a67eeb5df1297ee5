import { describe, expect, it } from '@jest/globals';
import { buildEtag, planStaticResponse } from './static-response.js';

const file = { size: 1000, mtimeMs: Date.UTC(2026, 0, 2, 3, 4, 5, 678), contentType: 'application/octet-stream' };
const etag = buildEtag(file);
const cache = 'public, max-age=300';

describe('planStaticResponse', () => {
  it('sends the whole file with length, validators and caching headers', () => {
    expect(planStaticResponse(file, { method: 'GET' }, cache)).toEqual({
      status: 200,
      headers: {
        ETag: etag,
        'Last-Modified': 'Fri, 02 Jan 2026 03:04:05 GMT',
        'Cache-Control': cache,
        'Accept-Ranges': 'bytes',
        'Content-Type': 'application/octet-stream',
        'Content-Length': '1000',
      },
      body: { start: 0, end: 999 },
    });
  });

  it('sends headers without a body for HEAD', () => {
    const plan = planStaticResponse(file, { method: 'HEAD' }, cache);
    expect(plan.status).toBe(200);
    expect(plan.headers['Content-Length']).toBe('1000');
    expect(plan.body).toBeUndefined();
  });

  it('answers a byte range with 206 and Content-Range', () => {
    const plan = planStaticResponse(file, { method: 'GET', range: 'bytes=100-199' }, cache);
    expect(plan).toMatchObject({ status: 206, body: { start: 100, end: 199 } });
    expect(plan.headers).toMatchObject({ 'Content-Range': 'bytes 100-199/1000', 'Content-Length': '100' });
  });

  it('answers a range past the end with 416', () => {
    const plan = planStaticResponse(file, { method: 'GET', range: 'bytes=1000-' }, cache);
    expect(plan).toMatchObject({ status: 416, headers: { 'Content-Range': 'bytes */1000' } });
    expect(plan.body).toBeUndefined();
  });

  it.each([etag, `W/${etag}`, `"other", ${etag}`, '*'])('answers If-None-Match %s with 304', (ifNoneMatch) => {
    expect(planStaticResponse(file, { method: 'GET', ifNoneMatch }, cache)).toEqual({
      status: 304,
      headers: { ETag: etag, 'Last-Modified': 'Fri, 02 Jan 2026 03:04:05 GMT', 'Cache-Control': cache },
    });
  });

  it('sends the file when If-None-Match names another version', () => {
    expect(planStaticResponse(file, { method: 'GET', ifNoneMatch: '"stale"' }, cache).status).toBe(200);
  });

  it('answers If-Modified-Since at or after the modification time with 304, earlier with 200', () => {
    expect(planStaticResponse(file, { method: 'GET', ifModifiedSince: 'Fri, 02 Jan 2026 03:04:05 GMT' }, cache).status).toBe(304);
    expect(planStaticResponse(file, { method: 'GET', ifModifiedSince: 'Fri, 02 Jan 2026 03:04:04 GMT' }, cache).status).toBe(200);
  });

  it('ignores the range when If-Range names an older version', () => {
    expect(planStaticResponse(file, { method: 'GET', range: 'bytes=0-9', ifRange: '"old"' }, cache).status).toBe(200);
    expect(planStaticResponse(file, { method: 'GET', range: 'bytes=0-9', ifRange: etag }, cache).status).toBe(206);
  });

  it('sends an empty file with length 0 and no body', () => {
    const plan = planStaticResponse({ ...file, size: 0 }, { method: 'GET' }, cache);
    expect(plan).toMatchObject({ status: 200, headers: { 'Content-Length': '0' } });
    expect(plan.body).toBeUndefined();
  });
});
