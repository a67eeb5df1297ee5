import { quoteShellWord } from '../../../lib/shell-quote.js';

/**
 * The shell commands the golden-image push runs on the node. They stay within POSIX sh, coreutils
 * or busybox, and qemu-img, which is what a discovery live system carries.
 */

/** sha256 of the first SIZE bytes of the disk: the range the image occupies. */
export function checksumRangeCommand(disk: string, size: number): string {
  return `head -c ${size} ${quoteShellWord(disk)} | sha256sum`;
}

/** Writes stdin to the disk in place; notrunc keeps a file standing in for a disk at its size, fsync makes "done" mean on disk. */
export function writeRawCommand(disk: string): string {
  return `dd of=${quoteShellWord(disk)} obs=4M conv=notrunc,fsync`;
}

export const QEMU_IMG_PRESENT_COMMAND = 'command -v qemu-img';

/**
 * Prints the device a link (`/dev/disk/by-path/...`) points at, and fails when it names nothing. busybox's readlink
 * (the live system's) has `-f` but not `-e`, hence the existence test first.
 */
export function resolveLinkCommand(path: string): string {
  const quoted = quoteShellWord(path);
  return `test -e ${quoted} && readlink -f -- ${quoted}`;
}

/** Receives the qcow2 file: qemu-img needs random access to it, so it cannot read from the SSH stream. */
export function stageFileCommand(path: string): string {
  return `umask 077 && cat > ${quoteShellWord(path)}`;
}

/** Expands the staged qcow2 onto the disk (`-n`: the disk exists and must not be re-created), then frees the staging space. */
export function convertQcow2Command(staged: string, disk: string): string {
  const source = quoteShellWord(staged);
  return `qemu-img convert -f qcow2 -O raw -n ${source} ${quoteShellWord(disk)}; rc=$?; rm -f ${source}; sync; exit $rc`;
}

/** Reads the 64 hex digits sha256sum prints first, or undefined when the output holds none. */
export function parseSha256Output(stdout: string): string | undefined {
  return /^([0-9a-f]{64})\b/.exec(stdout.trim())?.[1];
}
