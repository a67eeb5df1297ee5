import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';

/** Chunk size of file reads; two buffers of this size are reused for a whole transfer. */
const CHUNK_BYTES = 256 * 1024;
/** Web stream chunks cannot be reused (the consumer keeps them), so fewer, larger ones. */
const WEB_CHUNK_BYTES = 1024 * 1024;

/**
 * Writes bytes `start`..`end` (inclusive) of a file to `destination` and ends it. Two buffers are reused for the
 * whole transfer, one being filled while the other is written: allocating a fresh buffer per chunk (as
 * `fs.createReadStream` does) makes the kernel fault in and zero new pages, which costs about a third more CPU per
 * byte on large boot assets (see docs/benchmarks.md). Resolves when done; rejects when the file cannot be read or
 * the destination closes early (the client went away), after destroying the destination.
 */
export async function writeFileRange(path: string, start: number, end: number, destination: Writable): Promise<void> {
  const file = await open(path, 'r');
  const buffers = [Buffer.allocUnsafeSlow(CHUNK_BYTES), Buffer.allocUnsafeSlow(CHUNK_BYTES)];
  let closedEarly = false;
  const onClose = () => (closedEarly = true);
  destination.once('close', onClose);
  try {
    let position = start;
    let inFlight: Promise<void> | undefined;
    for (let index = 0; position <= end; index += 1) {
      const buffer = buffers[index % 2] ?? Buffer.alloc(0);
      const { bytesRead } = await file.read(buffer, 0, Math.min(CHUNK_BYTES, end - position + 1), position);
      if (bytesRead === 0) throw new Error(`${path} ended before byte ${end} (was it truncated?)`);
      position += bytesRead;
      // The buffer being filled next was handed to the previous write, so wait for that write before reusing it.
      await inFlight;
      if (closedEarly || destination.destroyed) throw new Error('the client closed the connection');
      inFlight = writeChunk(destination, buffer.subarray(0, bytesRead));
      // Awaited on the next turn; until then a failure must not count as an unhandled rejection.
      inFlight.catch(() => undefined);
    }
    await inFlight;
    destination.end();
  } catch (error) {
    destination.destroy();
    throw error;
  } finally {
    destination.off('close', onClose);
    await file.close();
  }
}

function writeChunk(destination: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const onClose = () => reject(new Error('the client closed the connection'));
    destination.once('close', onClose);
    destination.write(chunk, (error) => {
      destination.off('close', onClose);
      if (error) reject(error);
      else resolve();
    });
  });
}

/**
 * The same byte range as a web ReadableStream that reads only when the consumer pulls, so a slow client holds
 * one chunk in memory, not the file. For runtimes that take a `Response` body rather than a node response.
 */
export function createFileRangeStream(path: string, start: number, end: number): ReadableStream<Uint8Array> {
  let position = start;
  let file: Awaited<ReturnType<typeof open>> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      file ??= await open(path, 'r');
      const buffer = Buffer.allocUnsafe(Math.min(WEB_CHUNK_BYTES, end - position + 1));
      const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
      position += bytesRead;
      if (bytesRead > 0) controller.enqueue(buffer.subarray(0, bytesRead));
      if (position > end || bytesRead === 0) {
        await file.close();
        controller.close();
      }
    },
    async cancel() {
      await file?.close();
    },
  });
}
