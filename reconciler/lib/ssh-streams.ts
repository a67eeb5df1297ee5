import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const DEFAULT_TAIL_BYTES = 1024 * 1024;

/** Keeps the last bytes of a stream: enough to read a result or report an error, bounded whatever the command prints. */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number = DEFAULT_TAIL_BYTES) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 1) {
      this.size -= this.chunks.shift()?.length ?? 0;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}

/** Writes the input to a channel and ends it, counting bytes as they are handed over (backpressure included). */
export async function feedChannel(
  channel: Writable,
  input: string | Buffer | Readable | undefined,
  onBytes?: (total: number) => void,
): Promise<void> {
  if (input === undefined) {
    channel.end();
    return;
  }
  if (typeof input === 'string' || Buffer.isBuffer(input)) {
    channel.end(input);
    return;
  }
  let total = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      onBytes?.(total);
      callback(null, chunk);
    },
  });
  await pipeline(input, counter, channel);
}
