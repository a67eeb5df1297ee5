import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../reconciler/lib/command.js';
import { isPlinthError, type PlinthError } from '../../reconciler/lib/errors.js';
import { createSshImageDriver } from '../../reconciler/drivers/image/ssh/ssh-image-driver.js';
import type { GoldenImage, ImageProgress, ImageTarget } from '../../reconciler/drivers/image/types.js';
import { generateKeyPair, startSshd, type TestSshd } from '../support/sshd.js';
import { createFileDiskNode, createRawImage, readDiskRange, sha256Of, type FileDiskNode } from './disk-node.js';

const MiB = 1024 * 1024;

describe('golden image push over SSH (real sshd on loopback)', () => {
  let sshd: TestSshd;
  let work: string;

  beforeAll(async () => {
    sshd = await startSshd();
    work = await mkdtemp(join(tmpdir(), 'plinth-images-'));
  });

  afterAll(async () => {
    await sshd?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const newNode = (): Promise<FileDiskNode> =>
    createFileDiskNode(work, [
      { name: 'vda', sizeBytes: 64 * MiB, serial: 'SMALL-0001', model: 'Virtual disk' },
      { name: 'vdb', sizeBytes: 96 * MiB, serial: 'ROOT-0002', model: 'Virtual disk' },
    ]);

  const targetFor = (_node: FileDiskNode): ImageTarget => ({ node: 'node-1', ssh: sshd.endpoint(), rootDeviceHints: { serial: 'ROOT-0002' } });

  const goldenImage = (path: string, sha256: string, format: GoldenImage['format'] = 'raw'): GoldenImage => ({ kind: 'golden', name: 'debian-12', path, format, sha256 });

  it('writes a raw image to the disk the hints select and verifies it on the node', async () => {
    const node = await newNode();
    const image = await createRawImage(work, 'raw-a.img', 6, 2);
    const progress: ImageProgress[] = [];
    const driver = createSshImageDriver({ listDisksCommand: node.listDisksCommand });

    const result = await driver.ensureImage(targetFor(node), goldenImage(image.path, image.sha256), { onProgress: (p) => progress.push(p) });

    expect(result).toMatchObject({ changed: true, disk: node.disks.vdb, digest: image.sha256, bytesWritten: 8 * MiB });
    expect(sha256Of(await readDiskRange(node.disks.vdb as string, 8 * MiB))).toBe(image.sha256);
    expect(sha256Of(await readDiskRange(node.disks.vda as string, 8 * MiB))).toBe(sha256Of(Buffer.alloc(8 * MiB)));
    expect(progress.filter((p) => p.phase === 'upload').at(-1)).toEqual({ phase: 'upload', bytesDone: 8 * MiB, bytesTotal: 8 * MiB });
    expect(progress.at(-1)?.phase).toBe('verify');
  });

  it('reports changed:false and writes nothing when the disk already holds the image', async () => {
    const node = await newNode();
    const image = await createRawImage(work, 'raw-b.img', 4);
    const driver = createSshImageDriver({ listDisksCommand: node.listDisksCommand });
    await driver.ensureImage(targetFor(node), goldenImage(image.path, image.sha256));
    const progress: ImageProgress[] = [];

    const again = await driver.ensureImage(targetFor(node), goldenImage(image.path, image.sha256), { onProgress: (p) => progress.push(p) });

    expect(again).toMatchObject({ changed: false, bytesWritten: 0, disk: node.disks.vdb });
    expect(progress.some((p) => p.phase === 'upload')).toBe(false);
  });

  it('changes nothing in dry-run mode', async () => {
    const node = await newNode();
    const image = await createRawImage(work, 'raw-c.img', 2);

    const result = await createSshImageDriver({ listDisksCommand: node.listDisksCommand }).ensureImage(targetFor(node), goldenImage(image.path, image.sha256), { dryRun: true });

    expect(result).toMatchObject({ changed: true, dryRun: true, bytesWritten: 0 });
    expect(sha256Of(await readDiskRange(node.disks.vdb as string, 2 * MiB))).toBe(sha256Of(Buffer.alloc(2 * MiB)));
  });

  it('converts a qcow2 image with qemu-img on the node and verifies the raw content', async () => {
    const node = await newNode();
    const raw = await createRawImage(work, 'for-qcow2.raw', 3, 5);
    const qcow2 = join(work, 'image.qcow2');
    const made = await runCommand('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', raw.path, qcow2]);
    expect(made.exitCode).toBe(0);

    const result = await createSshImageDriver({ listDisksCommand: node.listDisksCommand, stagingDir: node.dir }).ensureImage(targetFor(node), goldenImage(qcow2, raw.sha256, 'qcow2'));

    expect(result).toMatchObject({ changed: true, digest: raw.sha256 });
    expect(sha256Of(await readDiskRange(node.disks.vdb as string, 8 * MiB))).toBe(raw.sha256);
  });

  it('fails with IMAGE_CHECKSUM, never success, when the written range does not match the declared sha256', async () => {
    const node = await newNode();
    const image = await createRawImage(work, 'raw-d.img', 2);
    const declared = sha256Of(Buffer.from('not the image'));

    const push = createSshImageDriver({ listDisksCommand: node.listDisksCommand }).ensureImage(targetFor(node), goldenImage(image.path, declared));

    await expect(push).rejects.toMatchObject({ code: 'IMAGE_CHECKSUM', transient: false, details: { expected: declared, actual: image.sha256 } });
  });

  it('fails transiently when the connection drops mid-stream, and a retry restarts and succeeds', async () => {
    const node = await newNode();
    const image = await createRawImage(work, 'raw-e.img', 48);
    const driver = createSshImageDriver({ listDisksCommand: node.listDisksCommand });
    let killed = 0;
    const killMidStream = (p: ImageProgress): void => {
      if (p.phase === 'upload' && p.bytesDone >= 8 * MiB && killed === 0) killed = sshd.killSessions();
    };

    const failure = await driver.ensureImage(targetFor(node), goldenImage(image.path, image.sha256), { onProgress: killMidStream }).catch((error: unknown) => error);

    expect(killed).toBeGreaterThan(0);
    expect(isPlinthError(failure) && { code: failure.code, transient: failure.transient }).toEqual({ code: 'IMAGE_CONNECT', transient: true });
    expect(sha256Of(await readDiskRange(node.disks.vdb as string, 48 * MiB))).not.toBe(image.sha256);

    const retry = await driver.ensureImage(targetFor(node), goldenImage(image.path, image.sha256));

    expect(retry).toMatchObject({ changed: true, digest: image.sha256, bytesWritten: 48 * MiB });
    expect(sha256Of(await readDiskRange(node.disks.vdb as string, 48 * MiB))).toBe(image.sha256);
  });

  it('refuses a node whose host key is not the pinned one, before authenticating or sending data', async () => {
    const node = await newNode();
    const image = await createRawImage(work, 'raw-f.img', 2);
    const other = await generateKeyPair(work, `other-host-key-${Date.now()}`);
    const acceptedBefore = countAccepted(sshd.log());
    const target: ImageTarget = { ...targetFor(node), ssh: { ...sshd.endpoint(), hostKey: other.publicKey } };

    const failure = (await createSshImageDriver({ listDisksCommand: node.listDisksCommand }).ensureImage(target, goldenImage(image.path, image.sha256)).catch((error: unknown) => error)) as PlinthError;

    expect(failure.code).toBe('IMAGE_HOST_KEY');
    expect(failure.transient).toBe(false);
    expect(countAccepted(sshd.log())).toBe(acceptedBefore);
    expect(sha256Of(await readDiskRange(node.disks.vdb as string, 2 * MiB))).toBe(sha256Of(Buffer.alloc(2 * MiB)));
  });

  it('explains per disk why none matches the root-device hints', async () => {
    const node = await newNode();
    const image = await createRawImage(work, 'raw-g.img', 1);
    const target: ImageTarget = { ...targetFor(node), rootDeviceHints: { serial: 'NO-SUCH-DISK' } };

    const push = createSshImageDriver({ listDisksCommand: node.listDisksCommand }).ensureImage(target, goldenImage(image.path, image.sha256));

    await expect(push).rejects.toMatchObject({
      code: 'IMAGE_NO_DISK',
      details: { reasons: [{ disk: 'vda', reason: 'serial SMALL-0001 is not NO-SUCH-DISK' }, { disk: 'vdb', reason: 'serial ROOT-0002 is not NO-SUCH-DISK' }] },
    });
  });

  it('resolves a by-path hint on the node to the disk it links to, and refuses a link that names nothing', async () => {
    const node = await newNode();
    const image = await createRawImage(work, 'raw-h.img', 1);
    // The node's /dev/disk/by-path, here a folder of links to the file-backed disks.
    const byPath = join(node.dir, 'by-path');
    await mkdir(byPath);
    await symlink(node.disks.vdb as string, join(byPath, 'pci-0000:00:1f.2-ata-2'));
    const driver = createSshImageDriver({ listDisksCommand: node.listDisksCommand });

    const result = await driver.ensureImage({ ...targetFor(node), rootDeviceHints: { name: join(byPath, 'pci-0000:00:1f.2-ata-2') } }, goldenImage(image.path, image.sha256));
    const missing = driver.ensureImage({ ...targetFor(node), rootDeviceHints: { name: join(byPath, 'pci-0000:00:1f.2-ata-9') } }, goldenImage(image.path, image.sha256));

    expect(result.disk).toBe(node.disks.vdb);
    await expect(missing).rejects.toMatchObject({ code: 'IMAGE_NO_DISK', message: expect.stringContaining('pci-0000:00:1f.2-ata-9 names no device on the node') });
  });

});

function countAccepted(log: string): number {
  return log.split('\n').filter((line) => line.startsWith('Accepted publickey')).length;
}
