import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { Inventory } from '../../reconciler/inventory/types.js';

const C4140 = path.resolve('tests/fixtures/hardware/dell/poweredge-c4140/944FAD941A1D');
const GiB = 1024 ** 3;

function runPlinth(args: string[]) {
  return execa(process.execPath, ['--import', 'tsx', 'reconciler/cli/main.ts', ...args], { reject: false, timeout: 60_000 });
}

describe('plinth report parse', () => {
  let scratch = '';

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'plinth-report-parse-'));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('prints the normalised inventory of a real dump as JSON', async () => {
    const result = await runPlinth(['report', 'parse', C4140]);
    expect(result.exitCode).toBe(0);
    const inventory = JSON.parse(String(result.stdout)) as Inventory;
    expect(inventory.system).toMatchObject({ manufacturer: 'Dell Inc.', productName: 'PowerEdge C4140' });
    expect(inventory.cpus).toEqual([
      expect.objectContaining({ model: 'Intel(R) Xeon(R) Gold 5120 CPU @ 2.20GHz', cores: 14, threads: 14 }),
      expect.objectContaining({ model: 'Intel(R) Xeon(R) Gold 5120 CPU @ 2.20GHz', cores: 14, threads: 14 }),
    ]);
    expect(inventory.emptyCpuSockets).toBe(0);
    expect(inventory.memory.totalBytes).toBe(160 * GiB);
    expect(inventory.memory.dimms).toHaveLength(10);
    expect(inventory.pciDevices).toContainEqual(expect.objectContaining({ vendorId: '102b', deviceId: '0536', class: '0300' }));
    expect(inventory.gpus.map((gpu) => gpu.deviceId)).toEqual(['15f9', '15f9', '15f9', '1db1']);
  });

  it('prints the same inventory as YAML', async () => {
    const [json, yaml] = await Promise.all([runPlinth(['report', 'parse', C4140]), runPlinth(['report', 'parse', C4140, '--output', 'yaml'])]);
    expect(yaml.exitCode).toBe(0);
    expect(parse(String(yaml.stdout))).toEqual(JSON.parse(String(json.stdout)));
  });

  it('names the file that is not valid JSON, exits 1 and prints no inventory', async () => {
    const directory = path.join(scratch, 'broken');
    await cp(C4140, directory, { recursive: true });
    await writeFile(path.join(directory, 'lsblk.json'), '{"blockdevices": [');
    await writeFile(path.join(directory, 'efi.json'), '{"uefi": "yes"}');
    const result = await runPlinth(['report', 'parse', directory]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${path.join(directory, 'lsblk.json')}: not valid JSON`);
    expect(result.stderr).toContain(`${path.join(directory, 'efi.json')} at /uefi: must be boolean`);
  });

  it('exits 2 when the directory cannot be read', async () => {
    const result = await runPlinth(['report', 'parse', path.join(scratch, 'absent')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('cannot read the report directory');
  });
});
