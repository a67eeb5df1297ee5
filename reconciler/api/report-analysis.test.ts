import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildHardwareReport, listHardwareFixtures, macsFor } from '../../tests/support/hardware-report.js';
import { claimFromInventory } from '../inventory/enrol.js';
import { analyseReport, inventoryOf, withoutInventoryObject } from './report-analysis.js';

function reportBody(agent: Record<string, string> = {}): Buffer {
  const report = buildHardwareReport({ fixture: listHardwareFixtures()[0] ?? '', serial: 'ENC0001', macs: macsFor(1) });
  return Buffer.from(JSON.stringify({ ...report, agent: { ...report.agent, ...agent } }));
}

describe('analyseReport with encodeForStorage', () => {
  it('returns the stored form of the body and of the very inventory it returns', () => {
    const body = reportBody();
    const analysis = analyseReport(body, { encodeForStorage: true });
    if (analysis.kind !== 'accepted') throw new Error(analysis.message);
    expect(gunzipSync(analysis.encoded?.rawGzip ?? new Uint8Array()).equals(body)).toBe(true);
    expect(analysis.encoded?.rawBytes).toBe(body.byteLength);
    expect(JSON.parse(analysis.encoded?.inventoryJson ?? 'null')).toEqual(analysis.inventory);
  });

  it('encodes the redacted body when the agent sent its token in the report', () => {
    const analysis = analyseReport(reportBody({ token: 's3cret-enrolment-token' }), { encodeForStorage: true });
    if (analysis.kind !== 'accepted') throw new Error(analysis.message);
    const stored = gunzipSync(analysis.encoded?.rawGzip ?? new Uint8Array()).toString();
    expect(stored).not.toContain('s3cret-enrolment-token');
    expect(stored).toBe(analysis.redactedBody);
  });

  it('leaves encoding to the store unless asked', () => {
    const analysis = analyseReport(reportBody());
    expect(analysis.kind === 'accepted' && analysis.encoded).toBe(undefined);
  });
});

describe('analyseReport of a gzip body', () => {
  const gzip = { kind: 'gzip', inflatedLimitBytes: 2 * 1024 * 1024 } as const;

  it('keeps the received bytes as the stored form, with the digest and size of the inflated body', () => {
    const body = reportBody();
    const received = gzipSync(body);
    const analysis = analyseReport(received, {}, gzip);
    if (analysis.kind !== 'accepted') throw new Error(analysis.message);
    expect(analysis.encoded?.rawGzip).toBe(received);
    expect(analysis.encoded?.rawBytes).toBe(body.byteLength);
    expect(analysis.encoded?.rawSha256).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('refuses with 413 a body that inflates past the limit', () => {
    const analysis = analyseReport(gzipSync(Buffer.alloc(4096, 32)), {}, { kind: 'gzip', inflatedLimitBytes: 1024 });
    expect(analysis).toMatchObject({ kind: 'refused', status: 413, code: 'API_BODY_TOO_LARGE' });
  });
});

describe('an accepted analysis sent back by a worker', () => {
  it('carries the claimed identity and the inventory only as its stored JSON, which reads back to the same inventory', () => {
    const analysis = analyseReport(reportBody(), { encodeForStorage: true });
    if (analysis.kind !== 'accepted' || !analysis.inventory) throw new Error('not accepted');
    const sent = withoutInventoryObject(analysis);
    if (sent.kind !== 'accepted') throw new Error('not accepted');
    expect(sent.inventory).toBeUndefined();
    expect(sent.claim).toEqual(claimFromInventory(analysis.inventory));
    expect(inventoryOf(sent)).toEqual(analysis.inventory);
  });

  it('keeps the inventory object when nothing was encoded to carry it', () => {
    const analysis = analyseReport(reportBody());
    expect(withoutInventoryObject(analysis)).toBe(analysis);
  });
});
