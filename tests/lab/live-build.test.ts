import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { BUILD_SCRIPT, ensureLiveSystem } from '../../lab/live-system.js';

const TOOLS = ['/usr/bin/apt-get', '/usr/bin/dpkg-deb', '/usr/bin/cpio', '/usr/bin/readelf'];
const missing = TOOLS.filter((tool) => !existsSync(tool));
if (missing.length > 0) console.warn(`SKIPPED live system build test: missing ${missing.join(', ')}`);
const describeWithApt = missing.length > 0 ? describe.skip : describe;

const DEBS = join(process.cwd(), '.lab', 'cache', 'live', 'debs');

describeWithApt('the live system built from Debian packages', () => {
  let root: string;
  let cached: string;
  let rebuilt: string;
  let unpacked: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'plinth-live-'));
    cached = await ensureLiveSystem(undefined, 'pipe');
    // A second build from scratch into another folder; only the downloaded .debs are shared.
    const result = await execa('sh', [BUILD_SCRIPT, join(root, 'out')], { env: { PLINTH_LIVE_DEBS: DEBS }, reject: false, encoding: 'utf8' });
    if (result.exitCode !== 0) throw new Error(`build failed: ${String(result.stderr)}`);
    rebuilt = String(result.stdout).trim().split('\n').pop() ?? '';
    unpacked = join(root, 'root');
    await mkdir(unpacked);
    await execa('sh', ['-c', 'gzip -dc "$1" | cpio -id --quiet', 'sh', join(rebuilt, 'initrd.gz')], { cwd: unpacked });
  }, 20 * 60_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is reproducible: a rebuild elsewhere has the same name and the same bytes', async () => {
    expect(basename(rebuilt)).toBe(basename(cached));
    expect(await readFile(join(rebuilt, 'SHA256SUMS'), 'utf8')).toBe(await readFile(join(cached, 'SHA256SUMS'), 'utf8'));
  });

  it('holds the init, the discovery agent, the tools it runs, sshd and the virtio modules', () => {
    const expected = ['init', 'usr/lib/plinth/discovery-agent.sh', 'usr/bin/busybox', 'usr/sbin/dmidecode', 'usr/bin/lspci', 'usr/bin/lsblk',
      'usr/bin/ip', 'usr/sbin/ethtool', 'usr/sbin/sshd', 'usr/bin/ssh-keygen', 'usr/bin/curl', 'usr/lib/modules/virtio_net.ko', 'usr/lib/modules/virtio_blk.ko'];

    expect(expected.filter((path) => !existsSync(join(unpacked, path)))).toEqual([]);
  });

  it('carries every shared library its programs and libraries need', async () => {
    const libraryDir = join(unpacked, 'usr/lib/x86_64-linux-gnu');
    const files = [
      ...(await readdir(join(unpacked, 'usr/bin'))).map((name) => join(unpacked, 'usr/bin', name)),
      ...(await readdir(join(unpacked, 'usr/sbin'))).map((name) => join(unpacked, 'usr/sbin', name)),
      ...(await readdir(libraryDir)).map((name) => join(libraryDir, name)),
    ];
    const unresolved: string[] = [];
    for (const file of files) {
      const { stdout } = await execa('readelf', ['-d', file], { reject: false, encoding: 'utf8' });
      for (const match of String(stdout).matchAll(/\(NEEDED\).*\[(.+)\]/g)) {
        if (!existsSync(join(libraryDir, match[1] ?? ''))) unresolved.push(`${basename(file)} → ${match[1]}`);
      }
    }

    expect(unresolved).toEqual([]);
  }, 120_000);
});
