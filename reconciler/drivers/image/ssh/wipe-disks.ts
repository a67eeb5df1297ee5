import { createHash } from 'node:crypto';
import { PlinthError } from '../../../lib/errors.js';
import { silentLogger, type Logger } from '../../../lib/logger.js';
import { quoteShellWord } from '../../../lib/shell-quote.js';
import { openSshSession, type SshConnector, type SshEndpoint, type SshSession } from '../../../lib/ssh-session.js';
import { explainMismatch, type BlockDisk } from '../root-disk.js';
import { toImageError } from '../ssh-errors.js';
import { listNodeDisks } from './node-disks.js';
import { parseSha256Output } from './remote-commands.js';

export interface WipeDisksDeps {
  connect?: SshConnector;
  log?: Logger;
  /** Prints the node's disks as `lsblk -J -b -O` does (the default). */
  listDisksCommand?: string;
}

export interface WipeResult {
  /** Disks erased and read back as zero at both ends. */
  wiped: string[];
  /** Disks left alone, with why (mounted by the running system, read-only, not a disk). */
  skipped: { disk: string; reason: string }[];
}

/** Partition tables live at both ends of a disk (GPT keeps a backup in the last 33 sectors), as do RAID superblocks. */
const EDGE_BYTES = 1024 * 1024;

function zeroDigest(length: number): string {
  return createHash('sha256').update(Buffer.alloc(length)).digest('hex');
}

/** The first sector of the last MiB (the whole disk when it is smaller). */
function tailSector(disk: BlockDisk): number {
  return Math.max(0, Math.floor(disk.sizeBytes / 512) - EDGE_BYTES / 512);
}

/**
 * What "wipe" means: every signature wipefs knows is erased (partition tables, filesystems, LVM, RAID),
 * a block device that supports it is discarded whole (blkdiscard), and the first and last MiB are zeroed
 * and synced. The data in between is not overwritten: this retires a machine's identity, not a
 * forensic erase.
 */
function wipeCommand(disk: BlockDisk): string {
  const path = quoteShellWord(disk.path);
  const tail = tailSector(disk);
  return [
    `if command -v wipefs >/dev/null 2>&1; then wipefs -a -q ${path} || exit 10; fi`,
    `if [ -b ${path} ] && command -v blkdiscard >/dev/null 2>&1; then blkdiscard -f ${path} >/dev/null 2>&1 || true; fi`,
    `dd if=/dev/zero of=${path} bs=512 count=${EDGE_BYTES / 512} conv=notrunc,fsync 2>/dev/null || exit 11`,
    `dd if=/dev/zero of=${path} bs=512 seek=${tail} count=${EDGE_BYTES / 512} conv=notrunc,fsync 2>/dev/null || exit 12`,
  ].join('\n');
}

function edgeDigestCommand(disk: BlockDisk): string {
  const path = quoteShellWord(disk.path);
  const tail = tailSector(disk);
  return `head -c ${EDGE_BYTES} ${path} | sha256sum; dd if=${path} bs=512 skip=${tail} count=${EDGE_BYTES / 512} 2>/dev/null | sha256sum`;
}

async function wipeOne(session: SshSession, node: string, disk: BlockDisk): Promise<void> {
  const wiped = await session.exec(wipeCommand(disk), { timeoutMs: 600_000 });
  if (wiped.exitCode !== 0) {
    throw new PlinthError('IMAGE_WRITE', `Node ${node}: wiping ${disk.path} failed (exit ${wiped.exitCode ?? 'by signal'})`, {
      details: { node, disk: disk.path, stderr: wiped.stderr.slice(-2000) },
    });
  }
  const check = await session.exec(edgeDigestCommand(disk));
  const digests = check.stdout.trim().split('\n').map(parseSha256Output);
  const head = zeroDigest(Math.min(EDGE_BYTES, disk.sizeBytes));
  const tail = zeroDigest(Math.min(EDGE_BYTES, disk.sizeBytes - tailSector(disk) * 512));
  if (check.exitCode !== 0 || digests[0] !== head || digests[1] !== tail) {
    throw new PlinthError('IMAGE_WRITE', `Node ${node}: ${disk.path} does not read back as zero after wiping`, { details: { node, disk: disk.path } });
  }
}

/**
 * Erases every whole disk of a node running the live system, over SSH with the host key pinned.
 * Idempotent: a wiped disk is wiped again at no harm. Disks the running system mounts are left alone.
 * Example: `await wipeNodeDisks({ node: 'lab-cmp-2', ssh }, { log })`.
 */
export async function wipeNodeDisks(target: { node: string; ssh: SshEndpoint }, deps: WipeDisksDeps = {}): Promise<WipeResult> {
  const log = (deps.log ?? silentLogger()).child({ node: target.node });
  let session: SshSession | undefined;
  try {
    session = await (deps.connect ?? openSshSession)(target.ssh);
    const disks = await listNodeDisks(session, target.node, deps.listDisksCommand);
    const result: WipeResult = { wiped: [], skipped: [] };
    for (const disk of disks) {
      const reason = explainMismatch(disk, { minSizeBytes: 1 });
      if (reason !== undefined) {
        result.skipped.push({ disk: disk.path, reason });
        continue;
      }
      await wipeOne(session, target.node, disk);
      log.info({ disk: disk.path }, 'disk wiped');
      result.wiped.push(disk.path);
    }
    return result;
  } catch (error) {
    throw toImageError(error, target.node);
  } finally {
    session?.close();
  }
}
