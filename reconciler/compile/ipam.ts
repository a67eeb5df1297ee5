import type { Allocation } from '../inventory/snapshot.js';
import { formatIpAddress, parseIpAddress } from '../lib/ip-address.js';
import type { Network } from '../manifests/kinds/index.js';
import { buildAddressPool, isInNetwork, takeNextAddress, type AddressPool } from './address-pool.js';
import type { CompileProblem } from './types.js';

/** A machine that needs addresses. */
export interface AddressRequest {
  nodeId: string;
  /** Names of the networks it needs an address on. */
  networks: readonly string[];
  /** Location manifest that placed it, for per-location subnets. */
  location?: string;
  /** Network → fixed address from its Node manifest. */
  pinned: Readonly<Record<string, string>>;
  /** Identity of the machine it replaces: it adopts that machine's addresses. */
  replaces?: string;
}

export interface IpamResult {
  /** nodeId → network → address, for the requested machines that got every address. */
  byNode: Map<string, Record<string, string>>;
  allocations: Allocation[];
  problems: CompileProblem[];
}

/** Dotted IPv4 without leading zeros is already canonical; only other forms need a parse. */
const CANONICAL_IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function canonical(text: string): string {
  if (CANONICAL_IPV4.test(text)) return text;
  const address = parseIpAddress(text);
  return address ? formatIpAddress(address) : text;
}

/** A sort key of an address: a number for IPv4 (cheap), a bigint otherwise. */
function addressOrder(text: string): number | bigint {
  if (CANONICAL_IPV4.test(text)) {
    const [a = 0, b = 0, c = 0, d = 0] = text.split('.').map(Number);
    return ((a * 256 + b) * 256 + c) * 256 + d;
  }
  return parseIpAddress(text)?.value ?? 0n;
}

/** Sorted by network, then numerically by address; each address is read once, not once per comparison. */
function sortAllocations(allocations: Allocation[]): Allocation[] {
  const keyed = allocations.map((entry) => ({ entry, value: addressOrder(entry.address) }));
  keyed.sort((a, b) => {
    if (a.entry.network !== b.entry.network) return a.entry.network < b.entry.network ? -1 : 1;
    return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  });
  return keyed.map((item) => item.entry);
}

/** network → address → holder, from prior allocations (released ones stay held during their grace period). */
function indexPrior(prior: readonly Allocation[], requests: readonly AddressRequest[]): Map<string, Map<string, Allocation>> {
  const replacedBy = new Map<string, string>();
  for (const request of requests) if (request.replaces !== undefined) replacedBy.set(request.replaces, request.nodeId);
  const byNetwork = new Map<string, Map<string, Allocation>>();
  for (const entry of prior) {
    const heir = entry.releasedAt === undefined ? replacedBy.get(entry.nodeId) : undefined;
    const address = canonical(entry.address);
    const held = heir === undefined && address === entry.address ? entry : { ...entry, address, ...(heir === undefined ? {} : { nodeId: heir }) };
    let addresses = byNetwork.get(entry.network);
    if (!addresses) byNetwork.set(entry.network, (addresses = new Map()));
    addresses.set(held.address, held);
  }
  return byNetwork;
}

/**
 * Allocates every requested machine an address on each of its networks. A machine keeps what it held
 * (stable for its lifetime), a replacement adopts what the replaced machine held, a pin is honoured, and
 * the rest comes from the network's ranges in identity order, skipping gateway, reserved, network/broadcast
 * addresses, every address pinned by any Node manifest and every address held by another machine.
 * Exhaustion or a conflicting pin is a problem for that machine, which then gets no addresses.
 * `allPins` lists the pins of every Node manifest, including machines not reporting yet.
 */
export function allocateAddresses(
  requests: readonly AddressRequest[],
  networks: ReadonlyMap<string, Network>,
  prior: readonly Allocation[],
  allPins: readonly { network: string; address: string; nodeId?: string }[],
): IpamResult {
  const held = indexPrior(prior, requests);
  const pinnedBy = new Map<string, Set<string>>();
  for (const pin of allPins) {
    let addresses = pinnedBy.get(pin.network);
    if (!addresses) pinnedBy.set(pin.network, (addresses = new Set()));
    addresses.add(canonical(pin.address));
  }
  const holderOf = new Map<string, Map<string, string>>();
  for (const [network, addresses] of held) {
    const perNode = new Map<string, string>();
    for (const entry of addresses.values()) if (entry.releasedAt === undefined) perNode.set(entry.nodeId, entry.address);
    holderOf.set(network, perNode);
  }
  const sorted = [...requests].sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  const pools = new Map<string, AddressPool | undefined>();
  const byNode = new Map<string, Record<string, string>>();
  const problems: CompileProblem[] = [];
  for (const request of sorted) {
    const addresses: Record<string, string> = {};
    const failures: CompileProblem[] = [];
    for (const name of [...request.networks].sort()) {
      const network = networks.get(name);
      if (!network) continue;
      const context = { held, pinnedBy, holderOf, pools, network };
      const outcome = allocateOne(request, name, context);
      if (typeof outcome === 'string') addresses[name] = outcome;
      else failures.push(outcome);
    }
    if (failures.length > 0) problems.push(...failures);
    else byNode.set(request.nodeId, addresses);
  }
  const allocations = sortAllocations([...held.values()].flatMap((addresses) => [...addresses.values()]));
  return { byNode, allocations, problems };
}

interface AllocationContext {
  held: Map<string, Map<string, Allocation>>;
  pinnedBy: ReadonlyMap<string, ReadonlySet<string>>;
  holderOf: Map<string, Map<string, string>>;
  pools: Map<string, AddressPool | undefined>;
  network: Network;
}

function allocateOne(request: AddressRequest, name: string, context: AllocationContext): string | CompileProblem {
  let addresses = context.held.get(name);
  if (!addresses) context.held.set(name, (addresses = new Map()));
  let holders = context.holderOf.get(name);
  if (!holders) context.holderOf.set(name, (holders = new Map()));
  const pin = request.pinned[name];
  const current = holders.get(request.nodeId);
  if (pin !== undefined) return allocatePinned(request.nodeId, name, canonical(pin), current, addresses, holders, context.network);
  if (current !== undefined) return current;
  const poolKey = `${name}\u0000${request.location ?? ''}`;
  if (!context.pools.has(poolKey)) context.pools.set(poolKey, buildAddressPool(context.network, request.location));
  const pool = context.pools.get(poolKey);
  const pins = context.pinnedBy.get(name);
  const taken = addresses;
  const address = pool ? takeNextAddress(pool, (text) => taken.has(text) || (pins?.has(text) ?? false)) : undefined;
  if (address === undefined) {
    return { nodeId: request.nodeId, code: 'ipam-exhausted', severity: 'error', message: `network ${name} has no free address left${request.location ? ` in location ${request.location}` : ''}` };
  }
  addresses.set(address, { network: name, address, nodeId: request.nodeId });
  holders.set(request.nodeId, address);
  return address;
}

function allocatePinned(
  nodeId: string,
  name: string,
  pin: string,
  current: string | undefined,
  addresses: Map<string, Allocation>,
  holders: Map<string, string>,
  network: Network,
): string | CompileProblem {
  const holder = addresses.get(pin);
  // A pin the machine already holds was checked when it was first allocated.
  if (holder?.nodeId === nodeId && current === pin) return pin;
  if (holder && holder.nodeId !== nodeId) {
    return { nodeId, code: 'ipam-conflict', severity: 'error', message: `pinned address ${pin} on network ${name} is held by machine ${holder.nodeId}` };
  }
  if (!isInNetwork(network, pin)) {
    return { nodeId, code: 'ipam-conflict', severity: 'error', message: `pinned address ${pin} is outside network ${name} (${network.spec.cidr})` };
  }
  // The pin replaces what the machine held before; the old address is free again.
  if (current !== undefined && current !== pin) addresses.delete(current);
  addresses.set(pin, { network: name, address: pin, nodeId });
  holders.set(nodeId, pin);
  return pin;
}
