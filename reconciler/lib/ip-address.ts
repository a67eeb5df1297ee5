import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as a number, so that ranges and containment are plain comparisons. */
export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

/** A CIDR block: its first and last address, and whether host bits were set in what was written. */
export interface IpNetwork {
  version: 4 | 6;
  prefix: number;
  first: bigint;
  last: bigint;
  hostBitsSet: boolean;
}

function parseIpv4(text: string): bigint {
  return text.split('.').reduce((sum, part) => (sum << 8n) + BigInt(Number(part)), 0n);
}

function parseIpv6(text: string): bigint {
  let source = text;
  // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(source);
  if (v4?.[1]) {
    const number = parseIpv4(v4[1]);
    source = `${source.slice(0, -v4[1].length)}${(number >> 16n).toString(16)}:${(number & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = source.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  return groups.reduce((sum, group) => (sum << 16n) + BigInt(parseInt(group, 16)), 0n);
}

/** Parses `192.0.2.1` or `2001:db8::1`; undefined when the text is not an address. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (isIPv4(text)) return { version: 4, value: parseIpv4(text) };
  if (isIPv6(text)) return { version: 6, value: parseIpv6(text) };
  return undefined;
}

/** Parses `192.0.2.1` only (dotted quad, no leading zeros, which some tools read as octal). */
export function parseIpv4Address(text: string): IpAddress | undefined {
  const address = parseIpAddress(text);
  return address?.version === 4 ? address : undefined;
}

/** Parses `10.0.0.0/24`; undefined when the address or the prefix length is not valid. */
export function parseCidr(text: string): IpNetwork | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const address = parseIpAddress(match[1]);
  const prefix = Number(match[2]);
  if (!address) return undefined;
  const bits = address.version === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const first = address.value & ~hostMask;
  return { version: address.version, prefix, first, last: first | hostMask, hostBitsSet: (address.value & hostMask) !== 0n };
}

export function formatIpAddress(address: IpAddress): string {
  if (address.version === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => ((address.value >> shift) & 0xffn).toString()).join('.');
  }
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((address.value >> shift) & 0xffffn).toString(16));
  // RFC 5952: the longest run of two or more zero groups becomes `::`.
  let best = { start: -1, length: 1 };
  for (let start = 0; start < groups.length; start += 1) {
    let length = 0;
    while (groups[start + length] === '0') length += 1;
    if (length > best.length) best = { start, length };
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

/** `10.0.0.0/24` with host bits cleared: how a network should be written. */
export function formatNetwork(network: IpNetwork): string {
  return `${formatIpAddress({ version: network.version, value: network.first })}/${network.prefix}`;
}

export function containsAddress(network: IpNetwork, address: IpAddress): boolean {
  return network.version === address.version && address.value >= network.first && address.value <= network.last;
}

export function networksOverlap(a: IpNetwork, b: IpNetwork): boolean {
  return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

/** Whether `inner` lies wholly inside `outer`. */
export function containsNetwork(outer: IpNetwork, inner: IpNetwork): boolean {
  return outer.version === inner.version && inner.first >= outer.first && inner.last <= outer.last;
}

/**
 * Whether `address` may be given to a host of `network`: inside it and, in IPv4 networks larger than a /31
 * (RFC 3021), neither the network nor the broadcast address.
 */
export function isHostAddress(network: IpNetwork, address: IpAddress): boolean {
  if (!containsAddress(network, address)) return false;
  if (network.version === 6 || network.prefix >= 31) return true;
  return address.value !== network.first && address.value !== network.last;
}

/** The network's mask written as an address (`255.255.255.0` for a /24), as DHCP servers want it. */
export function formatNetmask(network: IpNetwork): string {
  const bits = network.version === 4 ? 32 : 128;
  const all = (1n << BigInt(bits)) - 1n;
  const hostMask = (1n << BigInt(bits - network.prefix)) - 1n;
  return formatIpAddress({ version: network.version, value: all ^ hostMask });
}
