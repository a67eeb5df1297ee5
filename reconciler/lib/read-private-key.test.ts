import { describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPrivateKeyFile } from './read-private-key.js';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n';

async function withKeyFile(mode: number, use: (path: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-key-'));
  try {
    const path = join(dir, 'id_ed25519');
    await writeFile(path, KEY);
    await chmod(path, mode);
    await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('readPrivateKeyFile', () => {
  it('reads a key only its owner can read', async () => {
    await withKeyFile(0o600, async (path) => expect(await readPrivateKeyFile(path)).toBe(KEY));
  });

  it('refuses a key others can read, saying how to fix it and never showing the key', async () => {
    await withKeyFile(0o644, async (path) => {
      const reading = readPrivateKeyFile(path);
      await expect(reading).rejects.toMatchObject({ message: `--ssh-key ${path}: the private key is readable by others (mode 0644); run chmod 600 ${path}` });
    });
  });
});
