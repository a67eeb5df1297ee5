import { parseCidr, parseIpAddress, type IpNetwork } from '../../lib/ip-address.js';
import type { Problem } from '../../lib/problems.js';
import type { Node } from '../kinds/index.js';
import { problemAt, type ValidDocument } from '../loaded-document.js';
import type { RuleContext } from './rule-context.js';
import { isNetworkOrBroadcast, readAddressIn } from './network-addresses.js';

interface NetworkFacts {
  block: IpNetwork;
  cidr: string;
  /** Addresses no machine may take: the gateways and the reserved ones. */
  taken: Map<bigint, string>;
}

function describeNetworks(context: RuleContext): Map<string, NetworkFacts> {
  const facts = new Map<string, NetworkFacts>();
  for (const document of context.ofKind('Network')) {
    const spec = document.manifest.spec;
    const block = parseCidr(spec.cidr);
    if (!block || block.hostBitsSet) continue;
    const taken = new Map<bigint, string>();
    const mark = (text: string | undefined, why: string) => {
      const address = text === undefined ? undefined : parseIpAddress(text);
      if (address) taken.set(address.value, why);
    };
    mark(spec.gateway, 'the gateway');
    for (const subnet of spec.perLocation ?? []) mark(subnet.gateway, `the gateway of ${subnet.location}`);
    for (const text of spec.reserved ?? []) mark(text, 'reserved');
    facts.set(document.name, { block, cidr: spec.cidr, taken });
  }
  return facts;
}

function checkNode(document: ValidDocument<Node>, networks: Map<string, NetworkFacts>, owners: Map<string, ValidDocument<Node>>, problems: Problem[]): void {
  for (const [network, text] of Object.entries(document.manifest.spec.addresses ?? {})) {
    const facts = networks.get(network);
    if (!facts) continue; // a dangling network is reported by checkReferences
    const path = ['spec', 'addresses', network];
    const address = readAddressIn(document, path, text, facts.block, `Network \`${network}\` (${facts.cidr})`, problems);
    if (!address) continue;
    const why = facts.taken.get(address.value) ?? (isNetworkOrBroadcast(facts.block, address) ? 'the network or broadcast address' : undefined);
    if (why) {
      problems.push(problemAt(document, path, 'address-collision', `${text} is ${why} of Network \`${network}\`; pick another address`));
      continue;
    }
    const key = `${network}/${address.value}`;
    const owner = owners.get(key);
    if (owner) {
      problems.push(problemAt(document, path, 'address-collision', `${text} on \`${network}\` is already pinned to Node \`${owner.name}\` (${owner.file}:${owner.source.line})`));
    } else owners.set(key, document);
  }
}

/** Rule: pinned node addresses lie in their network, avoid gateways and reserved addresses, and are unique. */
export function checkPinnedAddresses(context: RuleContext): Problem[] {
  const networks = describeNetworks(context);
  const owners = new Map<string, ValidDocument<Node>>();
  const problems: Problem[] = [];
  for (const document of context.ofKind('Node')) checkNode(document, networks, owners, problems);
  return problems;
}
