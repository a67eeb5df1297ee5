import { formatMacForFileName, normaliseMac } from '../../lib/mac-address.js';
import type { HostEntry } from './types.js';

/**
 * The reservation file format of dnsmasq's `dhcp-hostsdir`: one `dhcp-host` line, `MAC,IP,hostname`.
 * One file per node, named after its MAC, so that adding, changing or removing one node touches one file.
 * No `set:` tags: dnsmasq (2.86 to 2.90 at least) crashes on SIGHUP once it has served a lease to a host entry
 * carrying one, as it frees the tag list on reload, and removing a node needs that SIGHUP. Reserved nodes still
 * carry dnsmasq's own `known` tag for configuration rules.
 */
export function formatHostLine(entry: HostEntry): string {
  const mac = normaliseMac(entry.mac) ?? entry.mac;
  return `${[mac, entry.ip, entry.hostname].join(',')}\n`;
}

/** Reads a line written by `formatHostLine`; undefined for anything else (a file left by hand, say). */
export function parseHostLine(text: string): HostEntry | undefined {
  const fields = text.trim().split(',');
  const [macText, ip, hostname] = fields;
  const mac = normaliseMac(macText ?? '');
  if (mac === undefined || ip === undefined || !hostname || fields.length !== 3 || text.trim().includes('\n')) return undefined;
  return { mac, ip, hostname };
}

/** `52-54-00-aa-00-01` for `52:54:00:AA:00:01`. */
export function hostFileName(mac: string): string {
  return formatMacForFileName(normaliseMac(mac) ?? mac);
}

/** The MAC a reservation file is named after, or undefined for other files (temporary files, notes). */
export function macFromHostFileName(name: string): string | undefined {
  return /^[0-9a-f]{2}(-[0-9a-f]{2}){5}$/.test(name) ? normaliseMac(name) : undefined;
}
