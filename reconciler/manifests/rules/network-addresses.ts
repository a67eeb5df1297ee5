import { containsAddress, formatNetwork, parseCidr, parseIpAddress, type IpAddress, type IpNetwork } from '../../lib/ip-address.js';
import type { Problem } from '../../lib/problems.js';
import type { Network } from '../kinds/index.js';
import { problemAt, type ValidDocument } from '../loaded-document.js';
import type { PathSegment } from '../yaml-position.js';
import type { RuleContext } from './rule-context.js';

type NetworkDocument = ValidDocument<Network>;

/** Parses an address field and checks that it lies in `block`; reports and returns undefined otherwise. */
export function readAddressIn(document: ValidDocument, path: PathSegment[], text: string, block: IpNetwork, blockText: string, problems: Problem[]): IpAddress | undefined {
  const address = parseIpAddress(text);
  if (!address) {
    problems.push(problemAt(document, path, 'invalid-address', `\`${text}\` is not a valid IP address`));
    return undefined;
  }
  if (!containsAddress(block, address)) {
    problems.push(problemAt(document, path, 'address-outside-network', `${text} is outside ${blockText}; use an address inside the network or fix its CIDR`));
    return undefined;
  }
  return address;
}

/** IPv4 networks larger than /31 lose their first (network) and last (broadcast) address. */
export function isNetworkOrBroadcast(block: IpNetwork, address: IpAddress): boolean {
  return block.version === 4 && block.prefix < 31 && (address.value === block.first || address.value === block.last);
}

interface Scope {
  cidr: string;
  gateway?: string;
  ranges?: { start: string; end: string }[];
  path: PathSegment[];
}

function checkRanges(document: NetworkDocument, scope: Scope, block: IpNetwork, problems: Problem[]): { first: bigint; last: bigint }[] {
  const ranges: { first: bigint; last: bigint; index: number }[] = [];
  (scope.ranges ?? []).forEach((range, index) => {
    const path = [...scope.path, 'ranges', index];
    const start = readAddressIn(document, [...path, 'start'], range.start, block, scope.cidr, problems);
    const end = readAddressIn(document, [...path, 'end'], range.end, block, scope.cidr, problems);
    if (!start || !end) return;
    if (start.value > end.value) {
      problems.push(problemAt(document, [...path, 'end'], 'invalid-range', `range ends (${range.end}) before it starts (${range.start}); swap them`));
      return;
    }
    for (const other of ranges) {
      if (start.value <= other.last && other.first <= end.value) {
        problems.push(problemAt(document, path, 'overlapping-range', `range ${range.start}-${range.end} overlaps range ${other.index + 1} of the same network`));
      }
    }
    ranges.push({ first: start.value, last: end.value, index });
  });
  return ranges;
}

function checkScope(document: NetworkDocument, scope: Scope, problems: Problem[]): void {
  const block = parseCidr(scope.cidr);
  if (!block || block.hostBitsSet) return; // reported by checkNetworkCidrs
  const ranges = checkRanges(document, scope, block, problems);
  if (scope.gateway === undefined) return;
  const path = [...scope.path, 'gateway'];
  const gateway = readAddressIn(document, path, scope.gateway, block, formatNetwork(block), problems);
  if (!gateway) return;
  if (isNetworkOrBroadcast(block, gateway)) {
    problems.push(problemAt(document, path, 'address-collision', `gateway ${scope.gateway} is the network or broadcast address of ${scope.cidr}`));
  } else if (ranges.some((range) => gateway.value >= range.first && gateway.value <= range.last)) {
    problems.push(problemAt(document, path, 'address-collision', `gateway ${scope.gateway} lies inside an allocation range, so it could be handed to a machine; shrink the range`));
  }
}

function checkReserved(document: NetworkDocument, problems: Problem[]): void {
  const block = parseCidr(document.manifest.spec.cidr);
  if (!block || block.hostBitsSet) return;
  const seen = new Set<bigint>();
  (document.manifest.spec.reserved ?? []).forEach((text, index) => {
    const address = readAddressIn(document, ['spec', 'reserved', index], text, block, document.manifest.spec.cidr, problems);
    if (!address) return;
    if (seen.has(address.value)) problems.push(problemAt(document, ['spec', 'reserved', index], 'address-collision', `${text} is reserved twice`, { severity: 'warning' }));
    seen.add(address.value);
  });
}

/** Rules on a network's own addresses: ranges, gateway and reserved addresses inside it and not colliding. */
export function checkNetworkAddresses(context: RuleContext): Problem[] {
  const problems: Problem[] = [];
  for (const document of context.ofKind('Network')) {
    const spec = document.manifest.spec;
    checkScope(document, { cidr: spec.cidr, ...(spec.gateway ? { gateway: spec.gateway } : {}), ...(spec.ranges ? { ranges: spec.ranges } : {}), path: ['spec'] }, problems);
    checkReserved(document, problems);
    (spec.perLocation ?? []).forEach((subnet, index) => {
      checkScope(document, { ...subnet, path: ['spec', 'perLocation', index] }, problems);
    });
  }
  return problems;
}
