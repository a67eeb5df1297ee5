import { isHostAddress, parseIpv4Address, type IpNetwork } from '../../lib/ip-address.js';
import { normaliseMac } from '../../lib/mac-address.js';
import type { HostEntry } from './types.js';

/** One thing wrong with a reservation, named by the field it concerns. */
export interface HostProblem {
  field: 'mac' | 'ip' | 'hostname';
  message: string;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * Checks a reservation before it reaches dnsmasq, which reads host files without complaint even when they
 * are garbage or name an address outside the network. Returns every problem at once, empty when valid.
 */
export function validateHostEntry(entry: HostEntry, network: IpNetwork): HostProblem[] {
  const problems: HostProblem[] = [];
  if (normaliseMac(entry.mac) === undefined) problems.push({ field: 'mac', message: `"${entry.mac}" is not a MAC address` });
  if (isMulticastMac(entry.mac)) problems.push({ field: 'mac', message: `${entry.mac} is a multicast address, not a NIC's` });
  problems.push(...checkAddress(entry.ip, network));
  const hostnameProblem = checkHostname(entry.hostname);
  if (hostnameProblem) problems.push({ field: 'hostname', message: hostnameProblem });
  return problems;
}

function isMulticastMac(mac: string): boolean {
  const canonical = normaliseMac(mac);
  return canonical !== undefined && (parseInt(canonical.slice(0, 2), 16) & 1) === 1;
}

function checkAddress(ip: string, network: IpNetwork): HostProblem[] {
  const address = parseIpv4Address(ip);
  if (address === undefined) return [{ field: 'ip', message: `"${ip}" is not an IPv4 address` }];
  if (!isHostAddress(network, address)) {
    return [{ field: 'ip', message: `${ip} is not a host address of the provisioning network` }];
  }
  return [];
}

/** RFC 1123 host name: dot-separated labels of 1-63 letters, digits or hyphens, not starting or ending with a hyphen. */
export function checkHostname(hostname: string): string | undefined {
  if (hostname.length === 0) return 'the host name is empty';
  if (hostname.length > 253) return `host name "${hostname.slice(0, 40)}..." is longer than 253 characters`;
  const bad = hostname.split('.').find((label) => !LABEL.test(label));
  if (bad !== undefined) {
    return `host name "${hostname}": label "${bad}" must be 1-63 letters, digits or inner hyphens (RFC 1123)`;
  }
  if (/^\d+$/.test(hostname.split('.').at(-1) ?? '')) return `host name "${hostname}" must not end in an all-numeric label`;
  return undefined;
}
