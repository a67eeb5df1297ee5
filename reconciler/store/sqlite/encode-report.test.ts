import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { claimFromInventory, decideEnrolment } from '../../inventory/enrol.js';
import type { Inventory } from '../../inventory/types.js';
import { sampleInventory } from '../../../tests/support/sample-inventory.js';
import { encodeReport } from './encode-report.js';
import { SqliteStore } from './sqlite-store.js';

let dir: string;
let store: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plinth-encode-'));
  store = SqliteStore.open(join(dir, 'plinth.db'));
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const body = Buffer.from(JSON.stringify({ sections: { dmidecode: 'Handle 0x0001, DMI type 1, 27 bytes\n'.repeat(200) } }));

describe('encodeReport', () => {
  it('gives the gzip of the body, its SHA-256 and size, and the inventory as JSON', () => {
    const inventory = sampleInventory('SN100');
    const encoded = encodeReport(body, inventory);
    expect(gunzipSync(encoded.rawGzip).equals(body)).toBe(true);
    expect(encoded.rawGzip.byteLength).toBeLessThan(body.byteLength / 4);
    expect(encoded.rawSha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(encoded.rawBytes).toBe(body.byteLength);
    expect(JSON.parse(encoded.inventoryJson)).toEqual(inventory);
  });

  it('is stored as given: the report reads back as the body it encodes, with its hash', async () => {
    const inventory = sampleInventory('SN101');
    // As a worker thread sends it: the Buffer arrives as a plain Uint8Array.
    const encoded = { ...encodeReport(body, inventory), rawGzip: new Uint8Array(encodeReport(body, inventory).rawGzip) };
    const submission = { rawBody: body, encoded, inventory, claim: claimFromInventory(inventory), receivedAt: '2026-01-01T00:00:00.000Z' };
    const outcome = await store.ingestReport(submission, (claim, context) => decideEnrolment(claim, context, inventory));
    expect(outcome.kind).toBe('enrolled');
    const [report] = await store.listReports<Inventory>('SN101');
    expect(Buffer.from(report?.rawBody ?? []).equals(body)).toBe(true);
    expect(report?.rawSha256).toBe(encoded.rawSha256);
    expect(report?.inventory).toEqual(inventory);
  });
});
