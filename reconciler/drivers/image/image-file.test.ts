import { describe, expect, it } from '@jest/globals';
import { readDiskSize } from './image-file.js';

function qcow2Header(virtualSize: bigint): Buffer {
  const header = Buffer.alloc(72);
  header.write('QFI\xfb', 0, 'latin1');
  header.writeUInt32BE(3, 4);
  header.writeBigUInt64BE(virtualSize, 24);
  return header;
}

describe('readDiskSize', () => {
  it('uses the file size for a raw image', () => {
    expect(readDiskSize('raw', Buffer.from('anything'), 8192)).toBe(8192);
  });

  it('reads the virtual size from a qcow2 header', () => {
    expect(readDiskSize('qcow2', qcow2Header(10n * 1024n ** 3n), 1_000_000)).toBe(10 * 1024 ** 3);
  });

  it('refuses a file whose content does not match the declared format', () => {
    expect(() => readDiskSize('qcow2', Buffer.alloc(72), 72)).toThrow(expect.objectContaining({ code: 'IMAGE_FORMAT' }));
    expect(() => readDiskSize('raw', qcow2Header(1n), 72)).toThrow(expect.objectContaining({ code: 'IMAGE_FORMAT' }));
  });
});
