import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { PlinthError } from '../../lib/errors.js';
import type { GoldenImage } from './types.js';

/** qcow2 files start with "QFI\xfb"; the virtual disk size is a big-endian u64 at byte 24 (qcow2 spec, header). */
const QCOW2_MAGIC = Buffer.from([0x51, 0x46, 0x49, 0xfb]);
const QCOW2_SIZE_OFFSET = 24;

/**
 * The number of bytes the image occupies once written to a disk: the file size for raw,
 * the virtual size from the header for qcow2. This is the range read back to verify the sha256.
 */
export function readDiskSize(format: GoldenImage['format'], header: Buffer, fileSize: number): number {
  if (format === 'raw') {
    if (header.subarray(0, 4).equals(QCOW2_MAGIC)) throw badFormat('the file is qcow2 but the image says raw');
    return fileSize;
  }
  if (header.length < QCOW2_SIZE_OFFSET + 8 || !header.subarray(0, 4).equals(QCOW2_MAGIC)) {
    throw badFormat('the file is not qcow2 (no QFI\\xfb magic)');
  }
  const size = header.readBigUInt64BE(QCOW2_SIZE_OFFSET);
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw badFormat('the qcow2 virtual size is out of range');
  return Number(size);
}

export interface ImageFileFacts {
  fileSize: number;
  diskSize: number;
}

/** Reads the local image's size and header; the image itself is streamed later. */
export async function inspectImageFile(image: GoldenImage): Promise<ImageFileFacts> {
  if (!/^[0-9a-f]{64}$/.test(image.sha256)) {
    throw new PlinthError('IMAGE_INVALID', `Image ${image.name}: sha256 must be 64 lowercase hex digits`, { details: { image: image.name } });
  }
  let handle;
  try {
    handle = await open(image.path, 'r');
  } catch (error) {
    throw new PlinthError('IMAGE_INVALID', `Image ${image.name}: cannot open ${image.path}`, { cause: error, details: { image: image.name } });
  }
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(64);
    const { bytesRead } = await handle.read(header, 0, header.length, 0);
    return { fileSize: size, diskSize: readDiskSize(image.format, header.subarray(0, bytesRead), size) };
  } finally {
    await handle.close();
  }
}

/** sha256 of the first LENGTH bytes of a local file. */
export async function digestFilePrefix(path: string, length: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return createHash('sha256').update(buffer.subarray(0, bytesRead)).digest('hex');
  } finally {
    await handle.close();
  }
}

function badFormat(reason: string): PlinthError {
  return new PlinthError('IMAGE_FORMAT', `Image format mismatch: ${reason}`);
}
