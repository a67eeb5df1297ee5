import { readFile, stat } from 'node:fs/promises';
import { UsageError } from './errors.js';

/**
 * Reads a private key file that only its owner may read (mode 0600 or stricter), as OpenSSH itself insists.
 * The key's content never appears in an error. Example: `const key = await readPrivateKeyFile('/etc/plinth/id_ed25519')`.
 */
export async function readPrivateKeyFile(path: string, flag = '--ssh-key'): Promise<string> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (error) {
    throw new UsageError(`${flag} ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if ((mode & 0o077) !== 0) {
    throw new UsageError(`${flag} ${path}: the private key is readable by others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); run chmod 600 ${path}`);
  }
  const text = await readFile(path, 'utf8');
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw new UsageError(`${flag} ${path}: not a PEM or OpenSSH private key`);
  return text;
}
