import { formatIpAddress, parseCidr, parseIpAddress, type IpNetwork } from '../lib/ip-address.js';
import type { Network } from '../manifests/kinds/index.js';

/** The addresses one network (or one of its per-location subnets) may hand out, walked in order. */
export interface AddressPool {
  version: 4 | 6;
  ranges: { first: bigint; last: bigint }[];
  /** Never handed out: gateway, reserved, network and broadcast addresses. */
  excluded: Set<bigint>;
  /** Where the next search starts: allocations within one compile only move forward. */
  cursor: { range: number; next: bigint };
}

function rangesOf(cidr: IpNetwork, ranges: readonly { start: string; end: string }[] | undefined): { first: bigint; last: bigint }[] {
  if (!ranges || ranges.length === 0) return [{ first: cidr.first, last: cidr.last }];
  return ranges
    .map((range) => ({ first: parseIpAddress(range.start)?.value ?? 0n, last: parseIpAddress(range.end)?.value ?? -1n }))
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
}

/**
 * The pool of a network for machines in `location`: the location's subnet when the network has one there,
 * the network's own ranges otherwise. Undefined when the CIDR cannot be read (validation prevents that).
 */
export function buildAddressPool(network: Network, location: string | undefined): AddressPool | undefined {
  const subnet = network.spec.perLocation?.find((entry) => entry.location === location);
  const cidr = parseCidr(subnet?.cidr ?? network.spec.cidr);
  if (!cidr) return undefined;
  const excluded = new Set<bigint>();
  for (const text of [subnet?.gateway ?? network.spec.gateway, ...(network.spec.reserved ?? [])]) {
    const address = text === undefined ? undefined : parseIpAddress(text);
    if (address) excluded.add(address.value);
  }
  // An IPv4 subnet's first and last addresses name the network and its broadcast; /31 and /32 have neither.
  if (cidr.version === 4 && cidr.prefix < 31) {
    excluded.add(cidr.first);
    excluded.add(cidr.last);
  }
  const ranges = rangesOf(cidr, subnet ? subnet.ranges : network.spec.ranges);
  return { version: cidr.version, ranges, excluded, cursor: { range: 0, next: ranges[0]?.first ?? 0n } };
}

/** Takes the lowest free address at or after the cursor; undefined when the pool is exhausted. */
export function takeNextAddress(pool: AddressPool, isUsed: (address: string) => boolean): string | undefined {
  while (pool.cursor.range < pool.ranges.length) {
    const range = pool.ranges[pool.cursor.range];
    if (!range) break;
    for (let value = pool.cursor.next; value <= range.last; value += 1n) {
      const text = formatIpAddress({ version: pool.version, value });
      if (pool.excluded.has(value) || isUsed(text)) continue;
      pool.cursor.next = value + 1n;
      return text;
    }
    pool.cursor.range += 1;
    pool.cursor.next = pool.ranges[pool.cursor.range]?.first ?? 0n;
  }
  return undefined;
}

const parsedCidrs = new WeakMap<Network, IpNetwork | undefined>();

/** Whether `text` is an address of the network's CIDR (any subnet of it). */
export function isInNetwork(network: Network, text: string): boolean {
  if (!parsedCidrs.has(network)) parsedCidrs.set(network, parseCidr(network.spec.cidr));
  const cidr = parsedCidrs.get(network);
  const address = parseIpAddress(text);
  return cidr !== undefined && address !== undefined && address.version === cidr.version && address.value >= cidr.first && address.value <= cidr.last;
}
