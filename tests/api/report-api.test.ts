import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createReportAnalysisPool } from '../../reconciler/api/report-analysis.js';
import { normaliseReport } from '../../reconciler/discovery/normalise.js';
import type { Inventory } from '../../reconciler/inventory/types.js';
import { buildHardwareReport, macsFor, type ReportSpec } from '../support/hardware-report.js';
import { openApiHarness, postGzip, postJson, type ApiHarness, type Transport } from './harness.js';

const R640 = 'dell/poweredge-r640/8885D8B6E2FE';
const nodeA: ReportSpec = { fixture: R640, serial: 'CZJ8885A', macs: macsFor(1), bmcMac: '02:60:00:00:00:01' };
const nodeB: ReportSpec = { fixture: 'hpe/proliant-dl360-gen10/1A1F4563F252', serial: 'MXQ1A1F4', macs: macsFor(2), bmcMac: '02:60:00:00:00:02' };
const nothingStored = { nodes: 0, reports: 0, nodeEvents: 0, conflicts: 0 };

let harness: ApiHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function open(transport: Transport, ...rest: Parameters<typeof openApiHarness> extends [unknown, ...infer R] ? R : never): Promise<ApiHarness> {
  harness = await openApiHarness(transport, ...rest);
  return harness;
}

describe.each<Transport>(['in-process', 'socket'])('POST /v1/reports (%s)', (transport) => {
  it('enrols a new machine and answers 202 with its identity', async () => {
    const api = await open(transport);
    const response = await api.send('/v1/reports', postJson(buildHardwareReport(nodeA)));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ node: { id: 'CZJ8885A', identitySource: 'chassis-serial', state: 'discovered' }, reportId: 1 });
    expect(await api.store.countRecords()).toEqual({ nodes: 1, reports: 1, nodeEvents: 0, conflicts: 0 });
  });

  it('keeps the raw report without the agent enrolment token', async () => {
    const api = await open(transport);
    const report = buildHardwareReport(nodeA);
    const response = await api.send('/v1/reports', postJson({ ...report, agent: { ...report.agent, token: 'enrol-secret-123' } }));
    expect(response.status).toBe(202);
    const [stored] = await api.store.listReports('CZJ8885A');
    const kept = Buffer.from(stored?.rawBody ?? []).toString();
    expect(kept).not.toContain('enrol-secret-123');
    expect(JSON.parse(kept)).toMatchObject({ agent: { token: '[redacted]' }, sections: { dmidecode: report.sections.dmidecode } });
  });

  it('rejects malformed JSON with its line and column, storing nothing', async () => {
    const api = await open(transport);
    const response = await api.send('/v1/reports', postJson('{\n  "version": 1,\n  "agent": }'));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string; problems: unknown[] } };
    expect(body.error.code).toBe('API_MALFORMED_JSON');
    expect(body.error.problems).toEqual([{ line: 3, column: 12, message: "unexpected '}', expected a value" }]);
    expect(await api.store.countRecords()).toEqual(nothingStored);
  });

  it('rejects wrong types listing every problem with its JSON path, storing nothing', async () => {
    const api = await open(transport);
    const report = buildHardwareReport(nodeA) as unknown as Record<string, unknown>;
    const bad = { ...report, version: '1', agent: { version: 7 }, sections: { dmidecode: 42, ipLink: 'eno1' } };
    const response = await api.send('/v1/reports', postJson(bad));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; problems: { path: string }[] } };
    expect(body.error.code).toBe('API_INVALID_REPORT');
    expect(body.error.problems).toEqual([
      { path: '$.version', message: 'must be number; must be equal to constant' },
      { path: '$.agent.version', message: 'must be string' },
      { path: '$.sections.dmidecode', message: 'must be string' },
      { path: '$.sections.ipLink', message: 'must be array' },
    ]);
    expect(await api.store.countRecords()).toEqual(nothingStored);
  });

  it('rejects unknown sections, top-level and inside sections, storing nothing', async () => {
    const api = await open(transport);
    const report = buildHardwareReport(nodeA);
    const bad = { ...report, firmware: 'x', sections: { ...report.sections, smartctl: 'y' } };
    const response = await api.send('/v1/reports', postJson(bad));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { problems: { path: string; message: string }[] } };
    expect(body.error.problems).toEqual([
      { path: '$.firmware', message: 'unknown property "firmware" is not allowed' },
      { path: '$.sections.smartctl', message: 'unknown property "smartctl" is not allowed' },
    ]);
    expect(await api.store.countRecords()).toEqual(nothingStored);
  });

  it('refuses a 10 MB body with 413, storing nothing', async () => {
    const api = await open(transport);
    const report = buildHardwareReport(nodeA);
    const huge = JSON.stringify({ ...report, sections: { ...report.sections, dmidecode: 'x'.repeat(10 * 1024 * 1024) } });
    const response = await api.send('/v1/reports', postJson(huge));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('API_BODY_TOO_LARGE');
    expect(await api.store.countRecords()).toEqual(nothingStored);
  });

  it('refuses a body that is not application/json with 415', async () => {
    const api = await open(transport);
    const response = await api.send('/v1/reports', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(buildHardwareReport(nodeA)) });
    expect(response.status).toBe(415);
    expect(await api.store.countRecords()).toEqual(nothingStored);
  });

  it('treats a re-post from the same machine as idempotent, updating lastSeen', async () => {
    const api = await open(transport);
    await api.send('/v1/reports', postJson(buildHardwareReport(nodeA)));
    api.setTime('2026-01-02T00:00:00.000Z');
    const again = await api.send('/v1/reports', postJson(buildHardwareReport(nodeA)));
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ node: { id: 'CZJ8885A', state: 'discovered' }, reportId: 2 });
    expect(await api.store.getNode('CZJ8885A')).toMatchObject({ firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-02T00:00:00.000Z' });
    expect(await api.store.countRecords()).toEqual({ nodes: 1, reports: 2, nodeEvents: 0, conflicts: 0 });
  });

  it('records a hardware-change event when a disk is gone at the next boot', async () => {
    const api = await open(transport);
    await api.send('/v1/reports', postJson(buildHardwareReport(nodeA)));
    const oneDisk = { ...nodeA, disks: [{ name: 'sda', sizeBytes: 480_103_981_056, serial: 'CZJ8885A-D1' }] };
    expect((await api.send('/v1/reports', postJson(buildHardwareReport(oneDisk)))).status).toBe(202);
    const events = await api.store.listNodeEvents('CZJ8885A');
    expect(events.map((event) => [event.kind, event.summary])).toEqual([['disks', expect.stringMatching(/^disks gone: sdb \(SSDSC2KB480G8R, 447.1 GiB, CZJ8885A-D2\)$/)]]);
  });

  it('refuses with 409 a report claiming an enrolled MAC under another serial, leaving the enrolled node intact', async () => {
    const api = await open(transport);
    await api.send('/v1/reports', postJson(buildHardwareReport(nodeA)));
    const enrolled = await api.store.getNode('CZJ8885A');
    const [enrolledReport] = await api.store.listReports<Inventory>('CZJ8885A');
    api.setTime('2026-01-05T00:00:00.000Z');
    const hijack = await api.send('/v1/reports', postJson(buildHardwareReport({ ...nodeB, macs: [nodeA.macs[0] ?? '', ...macsFor(3)] })));
    expect(hijack.status).toBe(409);
    const body = (await hijack.json()) as { error: { code: string; message: string; details: Record<string, unknown> } };
    expect(body.error.code).toBe('API_IDENTITY_CONFLICT');
    expect(body.error.message).toBe('report for MXQ1A1F4 claims MAC 02:50:00:00:00:10 already enrolled under node CZJ8885A');
    expect(body.error.details).toMatchObject({ reason: 'mac-enrolled-elsewhere', nodeIds: ['CZJ8885A'] });
    expect(await api.store.getNode('CZJ8885A')).toEqual(enrolled);
    expect(await api.store.listReports('CZJ8885A')).toEqual([enrolledReport]);
    expect(await api.store.getNode('MXQ1A1F4')).toBeUndefined();
    const [conflict] = await api.store.listConflicts();
    const kept = await api.store.getReport<Inventory>(conflict?.reportId ?? 0);
    expect(kept?.inventory.identity.id).toBe('MXQ1A1F4');
  });

  it('refuses with 409 the same serial arriving with different MACs', async () => {
    const api = await open(transport);
    await api.send('/v1/reports', postJson(buildHardwareReport(nodeA)));
    const response = await api.send('/v1/reports', postJson(buildHardwareReport({ ...nodeA, macs: macsFor(9) })));
    expect(response.status).toBe(409);
    expect((await api.store.getNode('CZJ8885A'))?.macs).toEqual(nodeA.macs);
  });

  it('answers 429 with Retry-After once a source has used its burst', async () => {
    const api = await open(transport, { rateLimit: { ratePerSecond: 0.01, burst: 2 } });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) statuses.push((await api.send('/v1/reports', postJson('{}'))).status);
    const limited = await api.send('/v1/reports', postJson(buildHardwareReport(nodeA)));
    expect([...statuses, limited.status]).toEqual([400, 400, 429, 429]);
    expect(limited.headers.get('retry-after')).toBe('100');
  });

  it('answers 403 to a source outside the trusted networks, and accepts one inside', async () => {
    const outside = await open(transport, { trustedNetworks: ['192.0.2.0/24', 'fd00::/8'] });
    expect((await outside.send('/v1/reports', postJson(buildHardwareReport(nodeA)))).status).toBe(403);
    expect(await outside.store.countRecords()).toEqual(nothingStored);
    await outside.close();
    const inside = await open(transport, { trustedNetworks: ['10.0.0.0/8', '127.0.0.0/8'] });
    expect((await inside.send('/v1/reports', postJson(buildHardwareReport(nodeA)))).status).toBe(202);
  });
});

describe('POST /v1/reports with the analysis on worker threads (the compiled worker, as `plinth serve` runs it)', () => {
  // `npm test` builds before it runs jest; the worker is the shipped JavaScript, not this test's TypeScript.
  const workerScript = pathToFileURL(resolve('dist/reconciler/api/report-analysis-worker.js'));
  let pool: ReturnType<typeof createReportAnalysisPool> | undefined;

  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  async function openWithWorkers(): Promise<ApiHarness> {
    if (!existsSync(workerScript)) throw new Error('npm run build did not produce dist/reconciler/api/report-analysis-worker.js');
    pool = createReportAnalysisPool(2, workerScript);
    return open('socket', {}, '10.1.2.3', pool.analyse);
  }

  it('enrols from the inventory a worker sends as stored JSON, and stores exactly that inventory', async () => {
    const api = await openWithWorkers();
    const response = await api.send('/v1/reports', postGzip(buildHardwareReport(nodeA)));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ node: { id: 'CZJ8885A', identitySource: 'chassis-serial', state: 'discovered' } });
    const [stored] = await api.store.listReports<Inventory>('CZJ8885A');
    expect(stored?.inventory).toEqual(normaliseReport(buildHardwareReport(nodeA)).inventory);
  });

  it('compares a known machine’s next report with its last one (a disk gone is an event)', async () => {
    const api = await openWithWorkers();
    await api.send('/v1/reports', postJson(buildHardwareReport(nodeA)));
    const oneDisk = { ...nodeA, disks: [{ name: 'sda', sizeBytes: 480_103_981_056, serial: 'CZJ8885A-D1' }] };
    expect((await api.send('/v1/reports', postGzip(buildHardwareReport(oneDisk)))).status).toBe(202);
    expect((await api.store.listNodeEvents('CZJ8885A')).map((event) => event.kind)).toEqual(['disks']);
  });

  it('refuses an identity hijack with 409, leaving the enrolled node intact', async () => {
    const api = await openWithWorkers();
    await api.send('/v1/reports', postJson(buildHardwareReport(nodeA)));
    const enrolled = await api.store.getNode('CZJ8885A');
    const hijack = await api.send('/v1/reports', postJson(buildHardwareReport({ ...nodeB, macs: [nodeA.macs[0] ?? '', ...macsFor(3)] })));
    expect(hijack.status).toBe(409);
    expect(await api.store.getNode('CZJ8885A')).toEqual(enrolled);
    expect(await api.store.countRecords()).toEqual({ nodes: 1, reports: 2, nodeEvents: 0, conflicts: 1 });
  });
});
