import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { createFileRangeStream, writeFileRange } from './file-range-stream.js';

describe('file ranges', () => {
  let dir: string;
  let path: string;
  const content = randomBytes(700 * 1024 + 3);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-range-'));
    path = join(dir, 'asset');
    await writeFile(path, content);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function collect(start: number, end: number): Promise<Buffer> {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
    await writeFileRange(path, start, end, sink);
    return Buffer.concat(chunks);
  }

  it('writes a whole file spanning several reused buffers', async () => {
    expect((await collect(0, content.length - 1)).equals(content)).toBe(true);
  });

  it('writes an inner range', async () => {
    expect((await collect(300_000, 600_000)).equals(content.subarray(300_000, 600_001))).toBe(true);
  });

  it('stops and rejects when the destination closes early', async () => {
    let received = 0;
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received > 256 * 1024) this.destroy();
        callback();
      },
    });
    await expect(writeFileRange(path, 0, content.length - 1, destination)).rejects.toThrow(/closed/);
    expect(received).toBeLessThan(content.length);
  });

  it('reads the same range through a web stream', async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of createFileRangeStream(path, 10, 500_009)) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(content.subarray(10, 500_010))).toBe(true);
  });
});
