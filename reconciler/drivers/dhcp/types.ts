/**
 * The DHCP driver kind: hands out the provisioning network's addresses and PXE boot files, and keeps one
 * reservation per known node. Implementations live in their own folders (`dnsmasq/`) and are registered in
 * `index.ts`.
 */

/** One node's reservation: the address and name it always gets. */
export interface HostEntry {
  /** Any common spelling; stored lower-case and colon-separated. */
  mac: string;
  ip: string;
  /** An RFC 1123 host name (labels of letters, digits and hyphens). */
  hostname: string;
}

export interface EnsureOptions {
  /** Report what would change without writing or signalling anything. */
  dryRun?: boolean;
}

export interface EnsureResult {
  /** True when the entry was (or, in dry-run, would be) written or removed. */
  changed: boolean;
}

export interface DhcpDriver {
  /** The server's configuration file content for the provisioning network. Pure: no I/O. */
  renderConfig(): string;
  /** Makes the node's reservation match `entry`; idempotent. */
  ensureHost(entry: HostEntry, options?: EnsureOptions): Promise<EnsureResult>;
  /** Removes the node's reservation (and makes the server forget it); idempotent. */
  removeHost(mac: string, options?: EnsureOptions): Promise<EnsureResult>;
  /** Every reservation currently on disk, sorted by MAC. */
  listHosts(): Promise<HostEntry[]>;
  /** Makes the running server re-read its reservations; does nothing when it is not running. */
  reload(): Promise<void>;
}
