import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { LAB_NODES, type LabNode } from '../../lab/lab-config.js';
import { ensureGoldenImage, type GoldenImage } from '../../lab/live-system.js';
import { prepareNodeFiles } from '../../lab/virtual-node.js';
import { startReportReceiver } from '../discovery/report-receiver.js';

const TOOLS = ['/usr/bin/apt-get', '/usr/bin/dpkg-deb', '/usr/bin/cpio', '/usr/bin/readelf', '/usr/bin/qemu-img'];
const missing = TOOLS.filter((tool) => !existsSync(tool));
if (missing.length > 0) console.warn(`SKIPPED golden image build test: missing ${missing.join(', ')}`);
const describeWithTools = missing.length > 0 ? describe.skip : describe;

const AGENT = resolve('boot-assets/discovery-agent.sh');

async function sha256File(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

async function readBytes(path: string, offset: number, length: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, offset);
    return buffer;
  } finally {
    await file.close();
  }
}

describeWithTools('the golden image built from Debian packages', () => {
  let root: string;
  let cached: GoldenImage;
  let rebuilt: GoldenImage;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'plinth-golden-build-'));
    cached = await ensureGoldenImage({ progress: 'pipe' });
    // A second build from scratch into another folder; only the downloaded .debs (kept apart) are shared.
    rebuilt = await ensureGoldenImage({ outRoot: join(root, 'out'), progress: 'pipe' });
  }, 20 * 60_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is reproducible: a rebuild elsewhere has the same name and a byte-identical disk', async () => {
    expect(basename(rebuilt.dir)).toBe(basename(cached.dir));
    expect(rebuilt.sha256).toBe(cached.sha256);
    expect(await sha256File(rebuilt.disk)).toBe(cached.sha256);
  });

  it('is a 64 MiB disk with an MBR whose one active FAT32 partition starts at 1 MiB and holds both boot loaders', async () => {
    const mbr = await readBytes(cached.disk, 0, 512);
    const bootSector = await readBytes(cached.disk, 1024 * 1024, 512);
    const entry = mbr.subarray(446, 462);

    expect((await stat(cached.disk)).size).toBe(64 * 1024 * 1024);
    expect(mbr.readUInt16LE(510)).toBe(0xaa55);
    expect({ active: entry[0], type: entry[4], start: entry.readUInt32LE(8), sectors: entry.readUInt32LE(12) })
      .toEqual({ active: 0x80, type: 0x0c, start: 2048, sectors: 64 * 2048 - 2048 });
    expect(bootSector.subarray(82, 90).toString('latin1')).toBe('FAT32   ');
    expect(bootSector.subarray(3, 11).toString('latin1')).toBe('SYSLINUX');
    // The UEFI removable-media loader, found by name in the filesystem (FAT keeps 8.3 names in upper case).
    const disk = await readFile(cached.disk);
    expect(disk.includes(Buffer.from('BOOTX64 EFI', 'latin1'))).toBe(true);
    expect(disk.includes(Buffer.from('plinth.os_image=plinth-golden', 'latin1'))).toBe(true);
  });

  it('gives a node with diskMiB a disk of that size, smaller than the image (the small-disk fault)', async () => {
    const node: LabNode = { ...LAB_NODES[0]!, name: 'lab-small-disk', diskMiB: 32 };
    const files = await prepareNodeFiles(join(root, 'small'), 'plinth-unused', node, 0);
    const info = await execa('qemu-img', ['info', '--output=json', files.disk], { encoding: 'utf8' });

    expect((JSON.parse(String(info.stdout)) as { 'virtual-size': number })['virtual-size']).toBe(32 * 1024 * 1024);
    expect((await stat(cached.disk)).size).toBeGreaterThan(32 * 1024 * 1024);
  });
});

describe('discovery-agent.sh --os-image', () => {
  const env = { PLINTH_CMDLINE: '/dev/null', PLINTH_MAX_ATTEMPTS: '1' };

  it('adds the top-level os section saying the machine booted from disk, and which image', async () => {
    const receiver = await startReportReceiver();
    try {
      const result = await execa('sh', [AGENT, '--url', receiver.url, '--os-image', 'lab-os-1.2'], { env, reject: false, timeout: 120_000 });

      expect(result.exitCode).toBe(0);
      expect((JSON.parse(receiver.received[0]?.body ?? '{}') as { os?: unknown }).os).toEqual({ bootedFrom: 'disk', image: 'lab-os-1.2' });
    } finally {
      await receiver.close();
    }
  }, 120_000);

  it('refuses an image name that would need escaping in JSON, and posts nothing', async () => {
    const receiver = await startReportReceiver();
    try {
      const result = await execa('sh', [AGENT, '--url', receiver.url, '--os-image', 'bad"name'], { env, reject: false, timeout: 30_000 });

      expect(result.exitCode).toBe(2);
      expect(String(result.stderr)).toContain('--os-image');
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
