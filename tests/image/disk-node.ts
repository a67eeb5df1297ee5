import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A "node" whose disks are files: the test's sshd runs on this machine, so the disks the image driver
 * writes to must be files in a temp directory, listed in lsblk's JSON shape by a small script.
 */
export interface FileDiskNode {
  dir: string;
  /** Path of each disk file, by kernel-style name. */
  disks: Record<string, string>;
  /** Remote command that lists the disk files as `lsblk -J -b -O` would. */
  listDisksCommand: string;
}

export interface DiskSpec {
  name: string;
  sizeBytes: number;
  serial: string;
  model: string;
}

export async function createFileDiskNode(parent: string, specs: readonly DiskSpec[]): Promise<FileDiskNode> {
  const dir = await mkdtemp(join(parent, 'node-'));
  const disks: Record<string, string> = {};
  const entries: string[] = [];
  for (const spec of specs) {
    const path = join(dir, spec.name);
    await writeFile(path, '');
    await truncate(path, spec.sizeBytes);
    disks[spec.name] = path;
    // The size is read when the script runs, as lsblk reads it from the kernel.
    entries.push(
      `{"kname":"${spec.name}","name":"${spec.name}","path":"${path}","type":"disk","size":$(stat -c %s ${path}),` +
        `"model":"${spec.model}  ","vendor":"QEMU","serial":"${spec.serial}","wwn":null,"rota":false,"ro":false,"rm":false,` +
        `"mountpoint":null,"mountpoints":[null]}`,
    );
  }
  const script = `#!/bin/sh\ncat <<EOF\n{"blockdevices":[${entries.join(',')}]}\nEOF\n`;
  await writeFile(join(dir, 'list-disks.sh'), script, { mode: 0o755 });
  return { dir, disks, listDisksCommand: `sh ${join(dir, 'list-disks.sh')}` };
}

export interface TestImage {
  path: string;
  sha256: string;
  bytes: Buffer;
}

/** A raw image: random data followed by zeros, as real images are partly empty. */
export async function createRawImage(dir: string, name: string, randomMiB: number, zeroMiB = 0): Promise<TestImage> {
  const bytes = Buffer.concat([randomBytes(randomMiB * 1024 * 1024), Buffer.alloc(zeroMiB * 1024 * 1024)]);
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { path, bytes, sha256: sha256Of(bytes) };
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The first LENGTH bytes of a disk file. */
export async function readDiskRange(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
