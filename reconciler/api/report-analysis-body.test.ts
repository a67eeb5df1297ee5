import { describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { chooseBodyCoding, inflateReportBody } from './report-analysis-body.js';

describe('chooseBodyCoding', () => {
  it('reads no coding and identity as plain JSON, gzip and x-gzip as gzip', () => {
    expect([undefined, '', 'identity'].map((coding) => chooseBodyCoding(coding, 10).kind)).toEqual(['identity', 'identity', 'identity']);
    expect(chooseBodyCoding('GZip', 10)).toEqual({ kind: 'gzip', inflatedLimitBytes: 10 });
    expect(chooseBodyCoding('x-gzip', 10).kind).toBe('gzip');
  });

  it('refuses other codings and chains of codings with 415', () => {
    for (const coding of ['br', 'deflate', 'gzip, gzip']) {
      expect(() => chooseBodyCoding(coding, 10)).toThrow(expect.objectContaining({ status: 415, code: 'API_UNSUPPORTED_ENCODING' }));
    }
  });
});

describe('inflateReportBody', () => {
  it('inflates a body up to exactly the limit', () => {
    expect(inflateReportBody(gzipSync(Buffer.alloc(1024, 97)), 1024).toString()).toBe('a'.repeat(1024));
  });

  it('refuses one byte more with 413, and garbage with 400', () => {
    expect(() => inflateReportBody(gzipSync(Buffer.alloc(1025, 97)), 1024)).toThrow(expect.objectContaining({ status: 413 }));
    expect(() => inflateReportBody(Buffer.from('{"not":"gzip"}'), 1024)).toThrow(expect.objectContaining({ status: 400, code: 'API_BAD_ENCODING' }));
  });
});
