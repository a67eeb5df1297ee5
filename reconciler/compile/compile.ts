import type { DesiredState } from '../manifests/desired-state.js';
import type { HardwareProfile } from '../manifests/kinds/index.js';
import { addressRequest, collectPins, createRoleNetworks, hostnameRequest, selectCandidates, type Candidate } from './candidates.js';
import { computeClusterFacts, type ClusterFacts } from './cluster-facts.js';
import { createContentKey, createIdentityToken, describeDependencies, describeSharedDependencies, isSamePlan, memoizeLast } from './compile-memo.js';
import { assignHostnames, type HostnameResult } from './hostnames.js';
import { allocateAddresses, type IpamResult } from './ipam.js';
import { detectGpuModels, renderPciAlias } from './node-facts.js';
import { buildNodeTarget, type NodePlan } from './node-target.js';
import type { CompileInput, CompileProblem, CompileResult, NodeTarget } from './types.js';

interface CacheEntry {
  dependencies: string;
  /** The plan, shared inputs and profile it was built from, for the quick same-objects check. */
  plan: NodePlan;
  shared: string;
  profile: HardwareProfile | undefined;
  target: NodeTarget | undefined;
  problems: CompileProblem[];
}

/** Compiles the same inputs to the same result; a Compiler also reuses the targets of unchanged machines. */
export interface Compiler {
  compile(input: CompileInput): CompileResult;
}

function profileOf(desired: DesiredState, plan: NodePlan): HardwareProfile | undefined {
  return plan.classification.profile === undefined ? undefined : desired.profiles.get(plan.classification.profile);
}

/** role → hostnames, both sorted, for the roles that have machines. */
function groupMembers(plans: readonly NodePlan[]): Map<string, string[]> {
  const members = new Map<string, string[]>();
  for (const plan of plans) {
    const hosts = members.get(plan.role.metadata.name);
    if (hosts) hosts.push(plan.hostname);
    else members.set(plan.role.metadata.name, [plan.hostname]);
  }
  return new Map([...members].sort(([a], [b]) => (a < b ? -1 : 1)).map(([role, hosts]) => [role, hosts.sort()]));
}

function sortProblems(problems: readonly CompileProblem[]): CompileProblem[] {
  const key = (problem: CompileProblem): string => `${problem.nodeId ?? ''}\u0000${problem.code}\u0000${problem.message}`;
  return [...problems].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * Creates a compiler that reuses what did not change: hostnames and addresses when their requests and the
 * stored allocations are the same, and each machine's target when none of its inputs changed. Cluster-wide
 * facts are computed once per compile. Inputs are treated as immutable values; the output is the same as a
 * fresh compile's. Example: `const compiler = createCompiler(); const { targets } = compiler.compile(input)`.
 */
export function createCompiler(): Compiler {
  const cache = new Map<string, CacheEntry>();
  const contentKey = createContentKey();
  const token = createIdentityToken();
  const memoHostnames = memoizeLast<HostnameResult>();
  const memoAddresses = memoizeLast<IpamResult>();

  function allocate(input: CompileInput, candidates: readonly Candidate[]): { names: HostnameResult; ipam: IpamResult } {
    const { desired, snapshot } = input;
    const cluster = desired.cluster;
    const nameRequests = candidates.map(hostnameRequest);
    const context = {
      cluster: cluster.metadata.name,
      domain: cluster.spec.domain,
      ...(cluster.spec.hostnamePattern === undefined ? {} : { pattern: cluster.spec.hostnamePattern }),
      prior: snapshot.hostnames,
      highWater: snapshot.hostnameHighWater,
    };
    const nameKey = `${token(snapshot.hostnames)}/${token(snapshot.hostnameHighWater)}/${JSON.stringify([context.cluster, context.domain, context.pattern])}`;
    const names = memoHostnames(nameKey, nameRequests, () => assignHostnames(nameRequests, context));
    const roleNetworks = createRoleNetworks(desired);
    const addressRequests = candidates.map((candidate) => addressRequest(roleNetworks, candidate));
    // Pins are all IPAM reads of Node manifests: a Node changed elsewhere (profile, settings) keeps its addresses object.
    const pinsKey = [...desired.nodes.values()].map((node) => (node.spec.addresses ? token(node.spec.addresses) : 0)).join(',');
    const networksKey = [...desired.networks.values()].map((network) => contentKey(network)).join(',');
    const addressKey = `${token(snapshot.allocations)}/${pinsKey}/${networksKey}`;
    const ipam = memoAddresses(addressKey, addressRequests, () => allocateAddresses(addressRequests, desired.networks, snapshot.allocations, collectPins(desired)));
    return { names, ipam };
  }

  function render(desired: DesiredState, cluster: ClusterFacts, plans: readonly NodePlan[], problems: CompileProblem[]): NodeTarget[] {
    const shared = describeSharedDependencies(desired, cluster.digest, contentKey);
    const targets: NodeTarget[] = [];
    const seen = new Set<string>();
    for (const plan of plans) {
      const nodeId = plan.classification.nodeId;
      seen.add(nodeId);
      let entry = cache.get(nodeId);
      // The profile object is looked up again: a changed profile manifest must rebuild, even for the same name.
      const quick = entry !== undefined && entry.shared === shared && entry.profile === profileOf(desired, plan) && isSamePlan(entry.plan, plan);
      if (!quick) {
        const dependencies = describeDependencies(desired, plan, shared, contentKey);
        if (entry?.dependencies !== dependencies) entry = { dependencies, plan, shared, profile: profileOf(desired, plan), ...buildNodeTarget(desired, cluster, plan) } as CacheEntry;
        else entry = { ...entry, plan, shared, profile: profileOf(desired, plan) };
        cache.set(nodeId, entry);
      }
      if (!entry) continue;
      if (entry.target) targets.push(entry.target);
      problems.push(...entry.problems);
    }
    if (cache.size > seen.size) for (const nodeId of [...cache.keys()]) if (!seen.has(nodeId)) cache.delete(nodeId);
    return targets;
  }

  return {
    compile(input) {
      const { desired } = input;
      const problems: CompileProblem[] = [];
      const candidates = selectCandidates(input, problems);
      const { names, ipam } = allocate(input, candidates);
      problems.push(...names.problems, ...ipam.problems);
      const plans: NodePlan[] = [];
      const aliases = new Set<string>();
      for (const candidate of candidates) {
        const hostname = names.byNode.get(candidate.classification.nodeId);
        const addresses = ipam.byNode.get(candidate.classification.nodeId);
        if (hostname === undefined || addresses === undefined) continue;
        const gpuModels = candidate.role.metadata.name === 'compute' && candidate.snapshotNode.inventory.gpus.length > 0 ? detectGpuModels(candidate.snapshotNode.inventory, desired.gpuModels) : [];
        for (const model of gpuModels) aliases.add(renderPciAlias(model));
        plans.push({ classification: candidate.classification, snapshotNode: candidate.snapshotNode, role: candidate.role, ...(candidate.node ? { node: candidate.node } : {}), gpuModels, hostname, addresses });
      }
      const cluster = computeClusterFacts(desired, groupMembers(plans), [...aliases].sort());
      problems.push(...cluster.problems);
      const targets = render(desired, cluster, plans, problems);
      return { targets, allocations: ipam.allocations, hostnames: names.assignments, hostnameHighWater: names.highWater, problems: sortProblems(problems) };
    },
  };
}

/** Compiles once, without reuse. Pure: the same inputs always give byte-identical ENCs. */
export function compile(input: CompileInput): CompileResult {
  return createCompiler().compile(input);
}
