import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { normaliseReport, type NormalisedReport } from '../../reconciler/discovery/normalise.js';
import { FIXTURE_ROOT, readFixtureTable, type FixtureFacts } from './fixture-table.js';

const GiB = 1024 ** 3;

async function findDumps(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const nested = await Promise.all(
    entries.filter((entry) => entry.isDirectory()).map((entry) => findDumps(path.join(folder, entry.name))),
  );
  const here = entries.some((entry) => entry.name === 'dmidecode.txt') ? [folder] : [];
  return [...here, ...nested.flat()];
}

async function normaliseFixture(folder: string): Promise<NormalisedReport> {
  const directory = path.join(FIXTURE_ROOT, folder);
  const lspciFile = path.join(directory, 'lspci.txt');
  const lspci = existsSync(lspciFile) ? await readFile(lspciFile, 'utf8') : undefined;
  return normaliseReport({
    version: 1,
    agent: { version: 'fixture' },
    collectedAt: '2026-01-01T00:00:00Z',
    sections: { dmidecode: await readFile(path.join(directory, 'dmidecode.txt'), 'utf8'), ...(lspci === undefined ? {} : { lspci }) },
  });
}

const withoutDomain = (address: string) => address.replace(/^0000:/, '');

describe('real server dumps in tests/fixtures/hardware', () => {
  let table: FixtureFacts[] = [];
  const results = new Map<string, NormalisedReport>();

  beforeAll(async () => {
    table = await readFixtureTable();
    for (const facts of table) results.set(facts.id, await normaliseFixture(facts.folder));
  });

  it('lists every dump on disk in the README table, 45 machines', async () => {
    const dumps = (await findDumps(FIXTURE_ROOT)).map((folder) => path.relative(FIXTURE_ROOT, folder)).sort();
    expect(dumps).toHaveLength(45);
    expect(table.map((facts) => facts.folder).sort()).toEqual(dumps);
  });

  it('parses every dump without a warning', () => {
    for (const facts of table) expect({ id: facts.id, warnings: results.get(facts.id)?.warnings }).toEqual({ id: facts.id, warnings: [] });
  });

  it('reads the product and base board the table lists', () => {
    for (const facts of table) {
      const inventory = results.get(facts.id)?.inventory;
      expect({ id: facts.id, product: inventory?.system.productName.includes(facts.model) }).toEqual({ id: facts.id, product: true });
      expect({ id: facts.id, board: inventory?.baseboard.productName }).toEqual({ id: facts.id, board: facts.baseboard });
    }
  });

  it('reads one CPU per populated socket with its model, and counts the empty sockets', () => {
    for (const facts of table) {
      const inventory = results.get(facts.id)?.inventory;
      const observed = { id: facts.id, models: inventory?.cpus.map((cpu) => cpu.model), empty: inventory?.emptyCpuSockets };
      expect(observed).toEqual({ id: facts.id, models: facts.cpuModels, empty: facts.emptyCpuSockets });
      for (const cpu of inventory?.cpus ?? []) {
        expect(cpu.cores).toBeGreaterThan(0);
        expect(cpu.threads).toBeGreaterThanOrEqual(cpu.cores);
      }
    }
  });

  it('sums the populated DIMMs to the memory total the table lists', () => {
    for (const facts of table) {
      const memory = results.get(facts.id)?.inventory.memory;
      const observed = { id: facts.id, totalGiB: (memory?.totalBytes ?? 0) / GiB, dimms: memory?.dimms.length };
      expect(observed).toEqual({ id: facts.id, totalGiB: facts.memoryGiB, dimms: facts.dimms });
      expect(memory?.dimms.every((dimm) => dimm.sizeBytes > 0)).toBe(true);
    }
  });

  it('finds exactly the GPUs the table lists where lspci exists, and not the onboard or BMC VGA', () => {
    const withLspci = table.filter((facts) => facts.hasLspci);
    expect(withLspci).toHaveLength(3);
    for (const facts of withLspci) {
      const inventory = results.get(facts.id)?.inventory;
      const gpus = (inventory?.gpus ?? []).map((gpu) => ({ address: withoutDomain(gpu.address), id: `${gpu.vendorId}:${gpu.deviceId}` }));
      expect({ id: facts.id, gpus }).toEqual({ id: facts.id, gpus: facts.gpus });
      const pciIds = (inventory?.pciDevices ?? []).map((device) => ({ address: withoutDomain(device.address), id: `${device.vendorId}:${device.deviceId}` }));
      for (const display of facts.consoleDisplays) expect(pciIds).toContainEqual(display);
      for (const device of inventory?.pciDevices ?? []) {
        expect(device.vendorId).toMatch(/^[0-9a-f]{4}$/);
        expect(device.deviceId).toMatch(/^[0-9a-f]{4}$/);
        expect(device.class).toMatch(/^[0-9a-f]{4}$/);
      }
    }
  });

  it('shows the R640 peer group as the README describes it: two alike, the third with other CPUs and half the DIMMs', () => {
    const shape = (id: string) => {
      const inventory = results.get(id)?.inventory;
      return { product: inventory?.system.productName, cpus: inventory?.cpus.map((cpu) => cpu.model), dimms: inventory?.memory.dimms.length };
    };
    expect(shape('8885D8B6E2FE')).toEqual(shape('953E314D7CA9'));
    expect(shape('1917FF5F0757').product).toBe(shape('8885D8B6E2FE').product);
    expect(shape('1917FF5F0757').cpus).not.toEqual(shape('8885D8B6E2FE').cpus);
    expect((shape('1917FF5F0757').dimms ?? 0) * 2).toBe(shape('8885D8B6E2FE').dimms);
  });

  it('falls back to a MAC identity because the published dumps blank every serial and UUID', () => {
    for (const facts of table) {
      const identity = results.get(facts.id)?.inventory.identity;
      expect(identity?.source).toBe('mac');
      expect(identity?.placeholdersSkipped).toHaveLength(4);
    }
  });
});
