import { DhcpError } from '../errors.js';
import type { HostEntry } from '../types.js';

/** errno codes after which trying again later may succeed. */
const TRANSIENT_ERRNO = new Set(['EAGAIN', 'EBUSY', 'EIO', 'EMFILE', 'ENFILE', 'ENOSPC', 'EINTR']);

/** Wraps a filesystem error as DHCP_IO, transient when the errno says a retry may work. */
export function wrapIoError(error: unknown, action: string, path: string): DhcpError {
  if (error instanceof DhcpError) return error;
  const errno = (error as NodeJS.ErrnoException).code ?? 'unknown';
  return new DhcpError('DHCP_IO', `cannot ${action} ${path}: ${errno}`, {
    cause: error,
    transient: TRANSIENT_ERRNO.has(errno),
    details: { path, errno },
  });
}

/** A reservation of another node that already holds `entry`'s address or host name, as a DHCP_CONFLICT error. */
export function findConflict(existing: readonly HostEntry[], entry: HostEntry): DhcpError | undefined {
  for (const other of existing) {
    if (other.mac === entry.mac) continue;
    if (other.ip === entry.ip || other.hostname.toLowerCase() === entry.hostname.toLowerCase()) {
      const what = other.ip === entry.ip ? `address ${entry.ip}` : `host name ${entry.hostname}`;
      return new DhcpError('DHCP_CONFLICT', `${what} is already reserved for ${other.mac}`, {
        details: { mac: entry.mac, holder: other.mac, ip: entry.ip, hostname: entry.hostname },
      });
    }
  }
  return undefined;
}
