import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../reconciler/lib/command.js';
import { createSshImageDriver } from '../../reconciler/drivers/image/ssh/ssh-image-driver.js';
import { startSshd, type TestSshd } from '../support/sshd.js';
import { createFileDiskNode, createRawImage, readDiskRange, sha256Of } from './disk-node.js';

const MiB = 1024 * 1024;
// What a minimal live system carries: a shell and coreutils, but no qemu-img.
const LIVE_TOOLS = ['sh', 'cat', 'head', 'sha256sum', 'dd', 'stat', 'rm', 'sync', 'date'];

describe('qcow2 image on a node without qemu-img (real sshd on loopback)', () => {
  let sshd: TestSshd;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'plinth-noqemu-'));
    const bin = join(work, 'bin');
    await mkdir(bin);
    for (const tool of LIVE_TOOLS) {
      const found = await runCommand('sh', ['-c', `command -v ${tool}`]);
      await symlink(found.stdout.trim(), join(bin, tool));
    }
    sshd = await startSshd({ extraConfig: [`SetEnv PATH=${bin}`] });
  });

  afterAll(async () => {
    await sshd?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('fails with IMAGE_QEMU_IMG_MISSING before sending the image, and leaves the disk alone', async () => {
    const node = await createFileDiskNode(work, [{ name: 'vda', sizeBytes: 16 * MiB, serial: 'ROOT', model: 'Virtual disk' }]);
    const raw = await createRawImage(work, 'source.raw', 2);
    const qcow2 = join(work, 'image.qcow2');
    expect((await runCommand('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', raw.path, qcow2])).exitCode).toBe(0);
    const driver = createSshImageDriver({ listDisksCommand: node.listDisksCommand, stagingDir: node.dir });
    const uploads: number[] = [];

    const push = driver.ensureImage(
      { node: 'node-3', ssh: sshd.endpoint(), rootDeviceHints: { serial: 'ROOT' } },
      { kind: 'golden', name: 'debian-12', path: qcow2, format: 'qcow2', sha256: raw.sha256 },
      { onProgress: (p) => (p.phase === 'upload' ? uploads.push(p.bytesDone) : undefined) },
    );

    await expect(push).rejects.toMatchObject({ code: 'IMAGE_QEMU_IMG_MISSING', transient: false });
    expect(uploads).toEqual([]);
    expect(sha256Of(await readDiskRange(node.disks.vda as string, 2 * MiB))).toBe(sha256Of(Buffer.alloc(2 * MiB)));
  });
});
