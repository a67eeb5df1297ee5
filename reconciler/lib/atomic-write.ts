import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  mode?: number;
  /** Where the temporary file is created; must be on the same filesystem as the target. Defaults to the target's folder. */
  tempDir?: string;
}

/**
 * Writes a file so that readers see either the old content or the new one, never a part:
 * the data goes to a temporary file, is flushed to disk, then renamed over the target.
 * Pass `tempDir` when readers watch the target's folder (dnsmasq reads every file in its hostsdir).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = join(options.tempDir ?? dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'w', options.mode ?? 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
