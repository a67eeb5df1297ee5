import { PlinthError } from '../../../lib/errors.js';
import type { SshSession } from '../../../lib/ssh-session.js';
import { LSBLK_COMMAND, parseLsblk } from '../lsblk.js';
import type { BlockDisk } from '../root-disk.js';

/** The node's block devices as its lsblk (or `command`) lists them; `IMAGE_DISK_LIST` when that fails. */
export async function listNodeDisks(session: SshSession, node: string, command = LSBLK_COMMAND): Promise<BlockDisk[]> {
  const listing = await session.exec(command, { maxOutputBytes: 16 * 1024 * 1024 });
  if (listing.exitCode !== 0) {
    throw new PlinthError('IMAGE_DISK_LIST', `Node ${node}: listing disks failed (exit ${listing.exitCode})`, { details: { node, stderr: listing.stderr.slice(-2000) } });
  }
  return parseLsblk(listing.stdout);
}
