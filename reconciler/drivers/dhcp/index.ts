import { createDnsmasqDriver, type DnsmasqDriverDeps } from './dnsmasq/dnsmasq-driver.js';
import type { DhcpDriver } from './types.js';

export type { DhcpDriver, EnsureOptions, EnsureResult, HostEntry } from './types.js';
export { DhcpError, type DhcpErrorCode } from './errors.js';
export { loadDnsmasqTemplate } from './dnsmasq/template.js';
export { ensureDnsmasqConfig, type EnsureConfigResult } from './dnsmasq/config-file.js';
export { dnsmasqPathsIn, type DnsmasqSettings, type DnsmasqPaths } from './dnsmasq/settings.js';

/** DHCP driver implementations by name, as a cluster's configuration selects them. */
export const dhcpDrivers = {
  dnsmasq: (deps: DnsmasqDriverDeps): DhcpDriver => createDnsmasqDriver(deps),
} as const;
