import { isAbsolute, join } from 'node:path';
import { DhcpError } from '../errors.js';
import { formatNetmask, isHostAddress, parseCidr, parseIpv4Address, type IpAddress, type IpNetwork } from '../../../lib/ip-address.js';

/** Where dnsmasq keeps its state; every path absolute. */
export interface DnsmasqPaths {
  /** The `dhcp-hostsdir` dnsmasq watches: one reservation file per node. */
  hostsDir: string;
  /** Where reservation files are written before being renamed into `hostsDir` (same filesystem, outside it). */
  stagingDir: string;
  leaseFile: string;
  tftpRoot: string;
  pidFile: string;
  logFile: string;
}

/** The usual layout of dnsmasq's state under one directory (`hosts.d/`, `staging/`, `tftp/`, leases, pid, log). */
export function dnsmasqPathsIn(dir: string): DnsmasqPaths {
  return {
    hostsDir: join(dir, 'hosts.d'),
    stagingDir: join(dir, 'staging'),
    leaseFile: join(dir, 'dnsmasq.leases'),
    tftpRoot: join(dir, 'tftp'),
    pidFile: join(dir, 'dnsmasq.pid'),
    logFile: join(dir, 'dnsmasq.log'),
  };
}

/** The provisioning network as dnsmasq serves it. */
export interface DnsmasqSettings {
  interface: string;
  /** The provisioning network, e.g. `10.250.0.0/24`. */
  network: string;
  /** This server's address on `interface`: the TFTP next-server. */
  serverAddress: string;
  /** The pool unknown machines get addresses from while they are discovered. */
  discoveryRange: { start: string; end: string };
  /** dnsmasq lease time: seconds, or a number with s/m/h/d, or `infinite`. */
  leaseTime: string;
  /** Base URL of plinth's HTTP API as nodes reach it, e.g. `http://10.250.0.1:8080`. */
  controllerUrl: string;
  paths: DnsmasqPaths;
  /** TFTP file names per client architecture; defaults are the names Debian's `ipxe` package ships. */
  bootFiles?: { bios?: string; uefi64?: string; arm64?: string };
}

export const DEFAULT_BOOT_FILES = { bios: 'undionly.kpxe', uefi64: 'ipxe.efi', arm64: 'snp.efi' } as const;

const INTERFACE = /^[A-Za-z0-9_.-]{1,15}$/;
const LEASE_TIME = /^(\d+[smhdw]?|infinite)$/;
const BOOT_FILE = /^[A-Za-z0-9._/-]{1,100}$/;
/** dnsmasq splits option values on commas and whitespace ends them; neither may appear in a path or URL. */
const PLAIN_VALUE = /^[^\s,#"'\\]+$/;

/**
 * An IPv4 network written with its host bits clear, with room for a server and clients: dnsmasq's `dhcp-range`
 * serves IPv4 here, and a /31 or /32 leaves no address to lease.
 */
function parseProvisioningNetwork(text: string): IpNetwork | undefined {
  const network = parseCidr(text);
  if (!network || network.version !== 4 || network.hostBitsSet || network.prefix > 30) return undefined;
  return network;
}

/** Checks the settings and returns the parsed network; throws DHCP_CONFIG_INVALID listing every problem. */
export function checkDnsmasqSettings(settings: DnsmasqSettings): IpNetwork {
  const problems: string[] = [];
  if (!INTERFACE.test(settings.interface)) problems.push(`interface "${settings.interface}" is not an interface name`);
  const network = parseProvisioningNetwork(settings.network);
  if (!network) problems.push(`network "${settings.network}" is not an IPv4 CIDR such as 10.250.0.0/24`);
  if (!LEASE_TIME.test(settings.leaseTime)) problems.push(`leaseTime "${settings.leaseTime}" is not a dnsmasq lease time`);
  problems.push(...checkControllerUrl(settings.controllerUrl));
  for (const [key, path] of Object.entries(settings.paths)) {
    if (!isAbsolute(path) || !PLAIN_VALUE.test(path)) problems.push(`paths.${key} "${path}" must be an absolute path without spaces or commas`);
  }
  for (const [key, file] of Object.entries(settings.bootFiles ?? {})) {
    if (typeof file === 'string' && !BOOT_FILE.test(file)) problems.push(`bootFiles.${key} "${file}" is not a plain file name`);
  }
  if (network) problems.push(...checkAddresses(settings, network));
  if (problems.length > 0 || !network) {
    throw new DhcpError('DHCP_CONFIG_INVALID', `invalid dnsmasq settings: ${problems.join('; ')}`, { details: { problems } });
  }
  return network;
}

function checkControllerUrl(text: string): string[] {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol) || !PLAIN_VALUE.test(text) || url.search || url.hash) {
    return [`controllerUrl "${text}" must be a plain http(s) URL`];
  }
  return [];
}

function checkAddresses(settings: DnsmasqSettings, network: IpNetwork): string[] {
  const problems: string[] = [];
  const server = parseIpv4Address(settings.serverAddress);
  const start = parseIpv4Address(settings.discoveryRange.start);
  const end = parseIpv4Address(settings.discoveryRange.end);
  const named: [string, IpAddress | undefined, string][] = [
    ['serverAddress', server, settings.serverAddress],
    ['discoveryRange.start', start, settings.discoveryRange.start],
    ['discoveryRange.end', end, settings.discoveryRange.end],
  ];
  for (const [key, value, text] of named) {
    if (value === undefined || !isHostAddress(network, value)) problems.push(`${key} ${text} is not a host address of ${settings.network}`);
  }
  if (start && end && start.value > end.value) problems.push('discoveryRange.start is after discoveryRange.end');
  if (server && start && end && server.value >= start.value && server.value <= end.value) {
    problems.push(`serverAddress ${settings.serverAddress} lies inside the discovery range`);
  }
  return problems;
}

/** The values `boot-assets/dnsmasq.conf.tmpl` is filled with. */
export function buildTemplateValues(settings: DnsmasqSettings, network: IpNetwork): Record<string, string> {
  const bootFiles = { ...DEFAULT_BOOT_FILES, ...settings.bootFiles };
  return {
    interface: settings.interface,
    rangeStart: settings.discoveryRange.start,
    rangeEnd: settings.discoveryRange.end,
    netmask: formatNetmask(network),
    leaseTime: settings.leaseTime,
    serverAddress: settings.serverAddress,
    biosBootFile: bootFiles.bios,
    uefiBootFile: bootFiles.uefi64,
    arm64BootFile: bootFiles.arm64,
    // iPXE expands settings in the DHCP file name: `netX` is the interface it booted from, `hexhyp` gives 52-54-00-aa-00-01.
    bootScriptUrl: `${settings.controllerUrl.replace(/\/+$/, '')}/boot/\${netX/mac:hexhyp}.ipxe`,
    ...settings.paths,
  };
}
