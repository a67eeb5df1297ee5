import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { gzipSync } from 'node:zlib';
import { buildHardwareReport, macsFor, type ReportSpec } from '../support/hardware-report.js';
import { openApiHarness, postGzip, type ApiHarness, type Transport } from './harness.js';

const nodeA: ReportSpec = { fixture: 'dell/poweredge-r640/8885D8B6E2FE', serial: 'CZJ8885A', macs: macsFor(1), bmcMac: '02:60:00:00:00:01' };
const nothingStored = { nodes: 0, reports: 0, nodeEvents: 0, conflicts: 0 };

let harness: ApiHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function open(transport: Transport): Promise<ApiHarness> {
  harness = await openApiHarness(transport);
  return harness;
}

function readStoredGzip(databasePath: string, reportId: number): Buffer | undefined {
  const db = new Database(databasePath, { readonly: true });
  try {
    return db.prepare<[number], { raw_gzip: Buffer }>('SELECT raw_gzip FROM reports WHERE id = ?').get(reportId)?.raw_gzip;
  } finally {
    db.close();
  }
}

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe.each<Transport>(['in-process', 'socket'])('POST /v1/reports with Content-Encoding (%s)', (transport) => {
  it('accepts a gzip body and stores the received bytes as they are', async () => {
    const api = await open(transport);
    const json = JSON.stringify(buildHardwareReport(nodeA));
    const request = postGzip(json);
    const response = await api.send('/v1/reports', request);
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ node: { id: 'CZJ8885A' }, reportId: 1 });
    const [stored] = await api.store.listReports('CZJ8885A');
    expect(Buffer.from(stored?.rawBody ?? []).toString()).toBe(json);
    expect(readStoredGzip(api.databasePath, 1)?.equals(request.body as Buffer)).toBe(true);
  });

  it('keeps a gzip body without the agent enrolment token', async () => {
    const api = await open(transport);
    const report = buildHardwareReport(nodeA);
    const response = await api.send('/v1/reports', postGzip({ ...report, agent: { ...report.agent, token: 'enrol-secret-123' } }));
    expect(response.status).toBe(202);
    const [stored] = await api.store.listReports('CZJ8885A');
    const kept = Buffer.from(stored?.rawBody ?? []).toString();
    expect(kept).not.toContain('enrol-secret-123');
    expect(JSON.parse(kept)).toMatchObject({ agent: { token: '[redacted]' } });
  });

  it('refuses with 413 a small gzip body that inflates past the limit, storing nothing', async () => {
    const api = await open(transport);
    const report = buildHardwareReport(nodeA);
    const bomb = postGzip({ ...report, sections: { ...report.sections, dmidecode: 'x'.repeat(10 * 1024 * 1024) } });
    expect((bomb.body as Buffer).byteLength).toBeLessThan(100 * 1024);
    const response = await api.send('/v1/reports', bomb);
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe('API_BODY_TOO_LARGE');
    expect(await api.store.countRecords()).toEqual(nothingStored);
  });

  it('rejects a body that is not valid gzip with 400, storing nothing', async () => {
    const api = await open(transport);
    const truncated = gzipSync(JSON.stringify(buildHardwareReport(nodeA))).subarray(0, 200);
    const response = await api.send('/v1/reports', { ...postGzip('{}'), body: truncated });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe('API_BAD_ENCODING');
    expect(await api.store.countRecords()).toEqual(nothingStored);
  });

  it('refuses a content coding other than gzip with 415, storing nothing', async () => {
    const api = await open(transport);
    const response = await api.send('/v1/reports', postGzip(buildHardwareReport(nodeA), { 'content-encoding': 'br' }));
    expect(response.status).toBe(415);
    expect(await errorCode(response)).toBe('API_UNSUPPORTED_ENCODING');
    expect(response.headers.get('accept-encoding')).toBe('gzip');
    expect(await api.store.countRecords()).toEqual(nothingStored);
  });
});
