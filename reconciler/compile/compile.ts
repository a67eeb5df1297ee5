import type { DesiredState } from '../manifests/desired-state.js';
import type { HardwareProfile, Node } from '../manifests/kinds/index.js';
import { collectPins } from './candidates.js';
import { computeClusterFacts, type ClusterFacts } from './cluster-facts.js';
import { createContentKey, createIdentityToken, createSequenceVersion, describeDependencies, describeSharedDependencies, isSamePlan, memoizeLast } from './compile-memo.js';
import { assignHostnames, type HostnameResult } from './hostnames.js';
import { allocateAddresses, type IpamResult } from './ipam.js';
import { buildNodeTarget, type NodePlan } from './node-target.js';
import { createCandidatePreparer, type PreparedCandidate } from './prepared-candidates.js';
import { createMembership } from './role-members.js';
import type { CompileInput, CompileProblem, CompileResult, NodeTarget } from './types.js';

interface CacheEntry {
  dependencies: string;
  /** The plan, shared inputs and profile it was built from, for the quick same-objects check. */
  plan: NodePlan;
  shared: string;
  profile: HardwareProfile | undefined;
  target: NodeTarget | undefined;
  problems: CompileProblem[];
  /** Number of the last render that used it: entries of machines gone are dropped. */
  stamp: number;
}

/** Compiles the same inputs to the same result; a Compiler also reuses the targets of unchanged machines. */
export interface Compiler {
  compile(input: CompileInput): CompileResult;
}

function profileOf(desired: DesiredState, plan: NodePlan): HardwareProfile | undefined {
  return plan.classification.profile === undefined ? undefined : desired.profiles.get(plan.classification.profile);
}

function sortProblems(problems: readonly CompileProblem[]): CompileProblem[] {
  const key = (problem: CompileProblem): string => `${problem.nodeId ?? ''}\u0000${problem.code}\u0000${problem.message}`;
  return [...problems].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** A plan per machine that got a hostname and every address; a machine's previous plan while they are the same. */
function buildPlans(prepared: readonly PreparedCandidate[], names: HostnameResult, ipam: IpamResult): NodePlan[] {
  const plans: NodePlan[] = [];
  for (const entry of prepared) {
    // The same hostname and address results as when the plan was built: it still holds, no lookup needed.
    if (entry.plan && entry.plannedFrom?.names === names && entry.plannedFrom.ipam === ipam) {
      plans.push(entry.plan);
      continue;
    }
    const { candidate } = entry;
    const hostname = names.byNode.get(candidate.classification.nodeId);
    const addresses = ipam.byNode.get(candidate.classification.nodeId);
    if (hostname === undefined || addresses === undefined) continue;
    let plan = entry.plan;
    if (plan?.hostname !== hostname || plan.addresses !== addresses) {
      plan = { classification: candidate.classification, snapshotNode: candidate.snapshotNode, role: candidate.role, ...(candidate.node ? { node: candidate.node } : {}), gpuModels: entry.gpuModels, hostname, addresses };
    }
    entry.plan = plan;
    entry.plannedFrom = { names, ipam };
    plans.push(plan);
  }
  return plans;
}

/**
 * Creates a compiler that reuses what did not change: each machine's requests while its inputs are the same,
 * hostnames and addresses when the requests and the stored allocations are the same, role membership while
 * no machine came, went or changed role or hostname, and each machine's target when none of its inputs
 * changed. Inputs are treated as immutable values; the output is the same as a fresh compile's.
 * Example: `const compiler = createCompiler(); const { targets } = compiler.compile(input)`.
 */
export function createCompiler(): Compiler {
  const cache = new Map<string, CacheEntry>();
  const contentKey = createContentKey();
  const token = createIdentityToken();
  const prepare = createCandidatePreparer(contentKey);
  const membership = createMembership();
  const pinsVersion = createSequenceVersion<Node>();
  const memoHostnames = memoizeLast<HostnameResult>();
  const memoAddresses = memoizeLast<IpamResult>();
  let renders = 0;

  function allocate(input: CompileInput, prepared: readonly PreparedCandidate[]): { names: HostnameResult; ipam: IpamResult } {
    const { desired, snapshot } = input;
    const cluster = desired.cluster;
    const nameRequests = prepared.map((entry) => entry.nameRequest);
    const context = {
      cluster: cluster.metadata.name,
      domain: cluster.spec.domain,
      ...(cluster.spec.hostnamePattern === undefined ? {} : { pattern: cluster.spec.hostnamePattern }),
      prior: snapshot.hostnames,
      highWater: snapshot.hostnameHighWater,
    };
    const nameKey = `${token(snapshot.hostnames)}/${token(snapshot.hostnameHighWater)}/${JSON.stringify([context.cluster, context.domain, context.pattern])}`;
    const names = memoHostnames(nameKey, nameRequests, () => assignHostnames(nameRequests, context));
    const addressRequests = prepared.map((entry) => entry.addressRequest);
    // Pins are all IPAM reads of Node manifests: a Node changed elsewhere (profile, settings) keeps its addresses object.
    const pinsKey = pinsVersion(desired.nodes.values(), (node) => node.spec.addresses);
    const networksKey = [...desired.networks.values()].map((network) => contentKey(network)).join(',');
    const addressKey = `${token(snapshot.allocations)}/${pinsKey}/${networksKey}`;
    const ipam = memoAddresses(addressKey, addressRequests, () => allocateAddresses(addressRequests, desired.networks, snapshot.allocations, collectPins(desired)));
    return { names, ipam };
  }

  function render(desired: DesiredState, cluster: ClusterFacts, plans: readonly NodePlan[], problems: CompileProblem[]): NodeTarget[] {
    const shared = describeSharedDependencies(desired, cluster.digest, contentKey);
    const targets: NodeTarget[] = [];
    renders += 1;
    for (const plan of plans) {
      const nodeId = plan.classification.nodeId;
      let entry = cache.get(nodeId);
      // The profile object is looked up again: a changed profile manifest must rebuild, even for the same name.
      const profile = profileOf(desired, plan);
      if (entry?.shared !== shared || entry.profile !== profile || !isSamePlan(entry.plan, plan)) {
        const dependencies = describeDependencies(desired, plan, shared, contentKey);
        if (entry?.dependencies !== dependencies) entry = { dependencies, plan, shared, profile, ...buildNodeTarget(desired, cluster, plan), stamp: renders } as CacheEntry;
        else entry = { ...entry, plan, shared, profile };
        cache.set(nodeId, entry);
      }
      entry.stamp = renders;
      if (entry.target) targets.push(entry.target);
      if (entry.problems.length > 0) problems.push(...entry.problems);
    }
    if (cache.size > plans.length) for (const [nodeId, entry] of cache) if (entry.stamp !== renders) cache.delete(nodeId);
    return targets;
  }

  return {
    compile(input) {
      const { desired } = input;
      const problems: CompileProblem[] = [];
      const prepared = prepare(input, problems);
      const { names, ipam } = allocate(input, prepared);
      problems.push(...names.problems, ...ipam.problems);
      const plans = buildPlans(prepared, names, ipam);
      const { members, gpuAliases } = membership(plans);
      const cluster = computeClusterFacts(desired, members, gpuAliases);
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
