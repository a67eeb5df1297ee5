import type { ApplyNode } from '../apply/types.js';
import type { CompileResult, NodeTarget } from '../compile/types.js';
import type { Classification } from '../inventory/classification.js';
import type { DesiredState } from '../manifests/desired-state.js';
import type { SecretReference } from '../manifests/kinds/index.js';
import type { NodeProvisioning } from '../plan/provisioning.js';

/** Resolves a manifest's secret reference; only ever called when a step needs the value. */
export type ResolveSecret = (reference: SecretReference) => Promise<string>;

function describeBmc(desired: DesiredState, classification: Classification | undefined, resolveSecret: ResolveSecret): ApplyNode['bmc'] {
  const pinned = classification?.pinnedBy === undefined ? undefined : desired.nodes.get(classification.pinnedBy);
  const bmc = pinned?.spec.bmc;
  if (!bmc) return undefined;
  // A closure, not a value: the password is read when a BMC step runs and is never held in a node record.
  return { address: bmc.address, username: bmc.username, password: () => resolveSecret(bmc.passwordFrom) };
}

function describeImage(desired: DesiredState, facts: NodeProvisioning | undefined): ApplyNode['image'] {
  const name = facts?.image?.name;
  const image = name === undefined ? undefined : desired.images.get(name);
  if (!image || name === undefined || !image.spec.url || !image.spec.sha256) return undefined;
  return { name, url: image.spec.url, sha256: image.spec.sha256, ...(image.spec.format ? { format: image.spec.format } : {}) };
}

/** Where image push, disk wipe and Puppet reach the machine, and which disk its OS goes on. */
function describeReach(desired: DesiredState, target: NodeTarget, facts: NodeProvisioning | undefined): Pick<ApplyNode, 'provisioningAddress' | 'managementAddress' | 'rootDeviceHints'> {
  const management = Object.keys(target.addresses).sort().find((network) => desired.networks.get(network)?.spec.purpose === 'management');
  const hints = target.profile === undefined ? undefined : desired.profiles.get(target.profile)?.spec.rootDeviceHints;
  const managementAddress = management === undefined ? undefined : target.addresses[management];
  return {
    ...(facts?.dhcp.ip ? { provisioningAddress: facts.dhcp.ip } : {}),
    ...(managementAddress ? { managementAddress } : {}),
    ...(hints ? { rootDeviceHints: hints } : {}),
  };
}

function toApplyNode(target: NodeTarget, context: { desired: DesiredState; classification: Classification | undefined; facts: NodeProvisioning | undefined; index: number | undefined; resolveSecret: ResolveSecret }): ApplyNode {
  const bmc = describeBmc(context.desired, context.classification, context.resolveSecret);
  const image = describeImage(context.desired, context.facts);
  return {
    nodeId: target.nodeId,
    hostname: target.hostname,
    role: target.role,
    ...(target.profile === undefined ? {} : { profile: target.profile }),
    encYaml: target.encYaml,
    encDigest: target.encDigest,
    addresses: target.addresses,
    ...(context.index === undefined ? {} : { hostnameIndex: context.index }),
    ...(context.facts?.raid === undefined ? {} : { raid: context.facts.raid }),
    rebootRequired: target.rebootRequired,
    ...(bmc ? { bmc } : {}),
    ...(image ? { image } : {}),
    ...describeReach(context.desired, target, context.facts),
  };
}

/** Everything apply needs per machine at this revision, keyed by node id; only `nodeIds` when given (those a plan acts on). Pure. */
export function buildApplyNodes(
  desired: DesiredState,
  compiled: CompileResult,
  classifications: readonly Classification[],
  provisioning: ReadonlyMap<string, NodeProvisioning>,
  resolveSecret: ResolveSecret,
  nodeIds?: ReadonlySet<string>,
): Map<string, ApplyNode> {
  const byNode = new Map(classifications.map((classification) => [classification.nodeId, classification]));
  const indices = new Map(compiled.hostnames.map((entry) => [entry.nodeId, entry.index]));
  const nodes = new Map<string, ApplyNode>();
  for (const target of compiled.targets) {
    if (nodeIds !== undefined && !nodeIds.has(target.nodeId)) continue;
    const context = { desired, classification: byNode.get(target.nodeId), facts: provisioning.get(target.nodeId), index: indices.get(target.nodeId), resolveSecret };
    nodes.set(target.nodeId, toApplyNode(target, context));
  }
  return nodes;
}
