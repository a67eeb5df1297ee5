import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../lib/atomic-write.js';

/**
 * ipmitool parses the whole IANA enterprise-number registry (4.7 MB) on every start, which is more than 80 % of its CPU
 * time per call; with hundreds of BMCs on a small controller that, not the network, is what limits throughput.
 * ipmitool reads `$HOME/.local/usr/share/misc/enterprise-numbers.txt` instead of the system registry when that
 * file exists. Power and boot calls need no vendor names, so the driver runs them with HOME set to a directory
 * prepared here, holding a one-entry registry. `getInfo` keeps the system registry, for manufacturer names.
 */
const COMPACT_REGISTRY = '0\n  Reserved\n';

/** Prepares `dir` as ipmitool's HOME for the driver's `home` option and returns it. Idempotent. */
export async function prepareIpmitoolHome(dir: string): Promise<string> {
  const registryDir = join(dir, '.local', 'usr', 'share', 'misc');
  await mkdir(registryDir, { recursive: true });
  await writeFileAtomic(join(registryDir, 'enterprise-numbers.txt'), COMPACT_REGISTRY);
  return dir;
}
