import { describe, expect, it } from '@jest/globals';
import { gunzipSync } from 'node:zlib';
import { buildHardwareReport, listHardwareFixtures, macsFor } from '../../tests/support/hardware-report.js';
import { analyseReport } from './report-analysis.js';

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
