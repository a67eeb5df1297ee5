import { describe, expect, it } from '@jest/globals';
import { readLimitedBody } from '../../reconciler/api/middleware/json-body.js';
import { TokenBuckets } from '../../reconciler/api/middleware/rate-limit.js';
import { toJsonPath } from '../../reconciler/api/middleware/schema-validator.js';
import { isTrusted, parseNetworks } from '../../reconciler/api/middleware/trusted-networks.js';

/** A body of `chunks` chunks of 64 KiB that counts how many were pulled from it. */
function countingBody(chunks: number, headers: Record<string, string> = {}): { request: Request; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(64 * 1024));
    },
  }, { highWaterMark: 0 });
  const request = new Request('http://plinth.test/v1/reports', { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit);
  return { request, pulled: () => pulled };
}

describe('readLimitedBody', () => {
  it('stops reading a streamed body soon after it passes the limit', async () => {
    const body = countingBody(160); // 10 MiB
    await expect(readLimitedBody(body.request, 1024 * 1024)).rejects.toMatchObject({ status: 413 });
    expect(body.pulled()).toBeLessThan(20);
  });

  it('refuses a declared Content-Length over the limit before reading any byte', async () => {
    const body = countingBody(160, { 'content-length': String(10 * 1024 * 1024) });
    await expect(readLimitedBody(body.request, 1024 * 1024)).rejects.toMatchObject({ status: 413, headers: { Connection: 'close' } });
    expect(body.pulled()).toBe(0);
  });

  it('returns a body within the limit whole', async () => {
    const body = countingBody(3);
    expect((await readLimitedBody(body.request, 1024 * 1024)).byteLength).toBe(3 * 64 * 1024);
  });
});

describe('TokenBuckets', () => {
  it('allows a burst, then one request per refill interval, per source', () => {
    let now = 0;
    const buckets = new TokenBuckets({ ratePerSecond: 0.5, burst: 2, now: () => now });
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 2]);
    expect(buckets.take('b')).toBe(0);
    now = 2000;
    expect([buckets.take('a'), buckets.take('a')]).toEqual([0, 2]);
  });

  it('forgets the idlest source when it tracks too many', () => {
    const buckets = new TokenBuckets({ ratePerSecond: 0.001, burst: 1, maxSources: 2, now: () => 0 });
    buckets.take('a');
    buckets.take('b');
    buckets.take('c');
    expect(buckets.take('a')).toBe(0);
  });
});

describe('trusted networks', () => {
  it('matches IPv4 and IPv6 networks and bare addresses', () => {
    const list = parseNetworks(['10.0.0.0/8', 'fd00::/8', '192.0.2.7']);
    expect(['10.9.8.7', 'fd12::1', '192.0.2.7', '192.0.2.8', '11.0.0.1', 'unknown'].map((address) => isTrusted(list, address))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('names every malformed entry', () => {
    expect(() => parseNetworks(['10.0.0.0/33', 'fd00::/8', 'example.org', '10.0.0.0/'])).toThrow(
      'not a CIDR network: "10.0.0.0/33", "example.org", "10.0.0.0/"',
    );
  });
});

describe('toJsonPath', () => {
  it('turns a JSON pointer into a readable path', () => {
    expect(toJsonPath('/sections/ethtool/eth0.100/0')).toBe('$.sections.ethtool["eth0.100"][0]');
    expect(toJsonPath('')).toBe('$');
  });
});
