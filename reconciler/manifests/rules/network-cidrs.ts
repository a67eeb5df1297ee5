import { containsNetwork, formatNetwork, networksOverlap, parseCidr, type IpNetwork } from '../../lib/ip-address.js';
import type { Problem } from '../../lib/problems.js';
import { problemAt, type ValidDocument } from '../loaded-document.js';
import type { Network } from '../kinds/index.js';
import type { PathSegment } from '../yaml-position.js';
import type { RuleContext } from './rule-context.js';

interface Block {
  document: ValidDocument<Network>;
  path: PathSegment[];
  network: IpNetwork;
}

/** Parses a CIDR field, or says what is wrong with it. */
export function readCidr(document: ValidDocument<Network>, path: PathSegment[], text: string, problems: Problem[]): IpNetwork | undefined {
  const network = parseCidr(text);
  if (!network) {
    problems.push(problemAt(document, path, 'invalid-cidr', `\`${text}\` is not a valid CIDR; write an address and a prefix length, e.g. 10.0.0.0/24`));
    return undefined;
  }
  if (network.hostBitsSet) {
    problems.push(problemAt(document, path, 'invalid-cidr', `\`${text}\` has host bits set; the network is ${formatNetwork(network)}`));
    return undefined;
  }
  return network;
}

/** Sorted by first address, two blocks overlap only if neighbours do; O(n log n) even for many networks. */
function findOverlaps(blocks: Block[]): [Block, Block][] {
  const sorted = [...blocks].sort((a, b) => a.network.version - b.network.version || (a.network.first < b.network.first ? -1 : a.network.first > b.network.first ? 1 : 0));
  const pairs: [Block, Block][] = [];
  let widest: Block | undefined;
  for (const block of sorted) {
    if (widest && networksOverlap(widest.network, block.network)) pairs.push([widest, block]);
    if (!widest || widest.network.version !== block.network.version || block.network.last > widest.network.last) widest = block;
  }
  return pairs;
}

function checkSubnets(document: ValidDocument<Network>, parent: IpNetwork, problems: Problem[]): Block[] {
  const blocks: Block[] = [];
  (document.manifest.spec.perLocation ?? []).forEach((subnet, index) => {
    const path = ['spec', 'perLocation', index, 'cidr'];
    const network = readCidr(document, path, subnet.cidr, problems);
    if (!network) return;
    if (!containsNetwork(parent, network)) {
      problems.push(problemAt(document, path, 'address-outside-network', `subnet ${subnet.cidr} is not inside the network's CIDR ${document.manifest.spec.cidr}`));
    }
    blocks.push({ document, path, network });
  });
  return blocks;
}

/** Rules `invalid-cidr` and `overlapping-cidr`: every network is a valid block and no two networks share addresses. */
export function checkNetworkCidrs(context: RuleContext): Problem[] {
  const problems: Problem[] = [];
  const networks: Block[] = [];
  for (const document of context.ofKind('Network')) {
    const network = readCidr(document, ['spec', 'cidr'], document.manifest.spec.cidr, problems);
    if (!network) continue;
    networks.push({ document, path: ['spec', 'cidr'], network });
    for (const [first, second] of findOverlaps(checkSubnets(document, network, problems))) {
      problems.push(problemAt(second.document, second.path, 'overlapping-cidr', `subnet ${formatNetwork(second.network)} overlaps subnet ${formatNetwork(first.network)} of the same network`));
    }
  }
  for (const [first, second] of findOverlaps(networks)) {
    problems.push(
      problemAt(
        second.document,
        second.path,
        'overlapping-cidr',
        `${formatNetwork(second.network)} overlaps Network \`${first.document.name}\` (${formatNetwork(first.network)}, ${first.document.file}:${first.document.source.line}); give each network its own block`,
      ),
    );
  }
  return problems;
}
