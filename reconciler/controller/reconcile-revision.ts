import { applyPlan } from '../apply/apply-plan.js';
import type { ApplyExtensions, ApplyLimits, ApplyNode, StepExecutor } from '../apply/types.js';
import type { Compiler } from '../compile/compile.js';
import type { CompileResult } from '../compile/types.js';
import { classifyNodes } from '../inventory/classify-nodes.js';
import type { Logger } from '../lib/logger.js';
import { validateRepository } from '../manifests/validate-repository.js';
import type { DesiredState } from '../manifests/desired-state.js';
import { parseApprovalTrailers } from '../plan/approvals.js';
import { planRevision } from '../plan/plan-revision.js';
import type { Approvals, Plan } from '../plan/types.js';
import { describeProvisioning } from '../plan/provisioning.js';
import type { RevisionSummary } from '../report/summary.js';
import type { ControllerStore } from '../store/controller-types.js';
import type { Store } from '../store/types.js';
import { buildApplyNodes, type ResolveSecret } from './apply-nodes.js';
import { readFailedEarlier } from './failed-earlier.js';
import { recoverResults } from './journal-results.js';
import { holdAllocations, type HeldAllocations } from './hold-allocations.js';
import { loadInventorySnapshot } from './load-snapshot.js';
import { readAppliedStates } from './read-applied-states.js';
import { slimClassification } from './slim-classification.js';
import type { ControllerMetrics } from './metrics.js';
import { ACTION_RESULTS_KEY, mergeActionResults, readEarlierResults } from './merge-revision-results.js';
import { summarizeApply, summarizeInvalid } from './summarize-apply.js';

export interface ReconcileDeps {
  store: Store;
  controllerStore: ControllerStore;
  compiler: Compiler;
  execute: StepExecutor;
  resolveSecret: ResolveSecret;
  metrics: ControllerMetrics;
  log: Logger;
  now: () => string;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  isCurrent: () => boolean;
  signal: AbortSignal;
  /** Cluster name for a commit too broken to say its own. */
  fallbackCluster: string;
  /** Told when machines report for the first time; the running apply then plans them in (see `ApplyExtensions`). */
  newMachines?: { subscribe(listener: () => void): () => void };
}

export interface RevisionInput {
  revision: string;
  treePath: string;
  /** The commit message: approvals come from its trailers. */
  commitMessage: string;
}

export const DEFAULT_MAX_PARALLEL_PROVISIONING = 20;

/** Cluster `rollout` settings as apply limits; defaults as Metal3's (20 at a time) and stop at the first failure. */
export function readLimits(desired: DesiredState): ApplyLimits {
  const rollout = desired.cluster.spec.rollout;
  const budget = rollout?.disruptionBudget;
  return {
    maxParallel: rollout?.maxParallelProvisioning ?? DEFAULT_MAX_PARALLEL_PROVISIONING,
    stopOnFailurePercent: rollout?.stopOnFailurePercent ?? 0,
    maxAttempts: 3,
    ...(budget?.maxPerCommit === undefined ? {} : { maxDestructivePerCommit: budget.maxPerCommit }),
    ...(budget?.maxPerAvailabilityZone === undefined ? {} : { maxDestructivePerZone: budget.maxPerAvailabilityZone }),
  };
}

function heldBy(compiled: CompileResult): HeldAllocations {
  return { allocations: compiled.allocations, hostnames: compiled.hostnames, hostnameHighWater: compiled.hostnameHighWater };
}

interface PlannedFromInventory {
  plan: Plan;
  compiled: CompileResult;
  nodes: Map<string, ApplyNode>;
}

/**
 * Reads the inventory, classifies, compiles and plans one valid commit, and builds the apply targets of the
 * nodes `only` keeps (all by default). `held`: a compile of the same commit whose allocations, not all stored
 * yet, must be kept (an apply still running gave them out).
 */
async function planFromInventory(
  desired: DesiredState,
  revision: string,
  approvals: Approvals,
  deps: ReconcileDeps,
  options: { held?: HeldAllocations; only?: (nodeId: string) => boolean } = {},
): Promise<PlannedFromInventory> {
  const stored = await loadInventorySnapshot(deps.store, deps.controllerStore, deps.now());
  const snapshot = options.held ? holdAllocations(stored, options.held) : stored;
  // Compile keeps what it is given between commits: only the parts the controller reads.
  const classifications = classifyNodes(desired, snapshot.nodes).map(slimClassification);
  const compiled = deps.compiler.compile({ desired, classifications, snapshot });
  const provisioning = describeProvisioning(desired, compiled.targets, classifications);
  const plan = planRevision({
    cluster: desired.cluster.metadata.name,
    targets: compiled.targets,
    provisioning,
    applied: await readAppliedStates(deps.controllerStore, compiled.targets),
    classifications,
    approvals,
    budget: desired.cluster.spec.rollout?.disruptionBudget ?? {},
    problems: compiled.problems,
    revision,
  });
  const acting = new Set(plan.actions.map((action) => action.nodeId).filter((nodeId) => options.only?.(nodeId) ?? true));
  return { plan, compiled, nodes: buildApplyNodes(desired, compiled, classifications, provisioning, deps.resolveSecret, acting) };
}

/**
 * One commit, start to end: validate (an invalid commit applies nothing), read the inventory, classify,
 * compile, plan against what was applied, apply, and summarize. The store records the revision's phase.
 */
export async function reconcileRevision(input: RevisionInput, deps: ReconcileDeps): Promise<RevisionSummary> {
  const log = deps.log.child({ revision: input.revision });
  let earlier = await readEarlierResults(deps.controllerStore, input.revision);
  await deps.controllerStore.recordRevision(input.revision, 'picked-up', deps.now());
  const validation = await validateRepository(input.treePath, { revision: input.revision });
  if (!validation.desired) {
    const summary = summarizeInvalid(deps.fallbackCluster, input.revision, validation.problems);
    await deps.controllerStore.recordRevision(input.revision, 'invalid', deps.now(), { ...summary });
    log.warn({ errors: summary.validationErrors.length }, 'revision invalid: nothing applied');
    return summary;
  }
  const desired = validation.desired;
  await deps.controllerStore.recordRevision(input.revision, 'applying', deps.now());
  const approvals = parseApprovalTrailers(input.commitMessage);
  // A machine whose first report lands after the inventory is read, while a large fleet is still being planned or
  // the apply is being set up, must not wait for the next reconcile either: it is planned in once the apply listens.
  const { newMachines } = deps;
  let heardBeforeApply = false;
  const stopListening = newMachines?.subscribe(() => void (heardBeforeApply = true));
  try {
    const first = await planFromInventory(desired, input.revision, approvals, deps);
    const { plan } = first;
    // What this compile gave out, and each later one: machines joining the apply must not be given it again.
    let held = heldBy(first.compiled);
    log.info({ actions: plan.actions.length, blocked: plan.blocked.length }, 'plan ready');
    const extensions: ApplyExtensions | undefined = newMachines && {
      subscribe: (listener) => {
        const unsubscribe = newMachines.subscribe(listener);
        if (heardBeforeApply) queueMicrotask(listener);
        return unsubscribe;
      },
      // Addresses and hostnames given out before are held, though not stored until their enrolment runs.
      plan: async (known) => {
        const { plan: again, compiled, nodes } = await planFromInventory(desired, input.revision, approvals, deps, { held, only: (nodeId) => !known.has(nodeId) });
        held = heldBy(compiled);
        return { actions: again.actions, blocked: again.blocked, nodes };
      },
    };
    const { execute, now, sleep, isCurrent, signal } = deps;
    const limits = readLimits(desired);
    // No pass of this revision ended (the controller stopped or was killed first): what they did is in the journal.
    if (earlier.length === 0) earlier = await recoverResults(deps, input.revision, new Map(first.compiled.targets.map((target) => [target.nodeId, target.hostname])));
    const failedEarlier = await readFailedEarlier(deps.store, earlier);
    const result = await applyPlan(plan, { store: deps.controllerStore, execute, now, sleep, isCurrent, signal, log, nodes: first.nodes, approvals, limits, failedEarlier, ...(extensions ? { extensions } : {}) });
    // A failure repeated from an earlier pass was counted when it happened.
    for (const action of result.results) if (action.repeated !== true) deps.metrics.countAction(action.kind, action.outcome);
    const results = mergeActionResults(earlier, result.results);
    const summary = summarizeApply(plan, { ...result, results });
    await deps.controllerStore.recordRevision(input.revision, result.cancelled ? 'applying' : 'applied', deps.now(), { ...summary, [ACTION_RESULTS_KEY]: results });
    log.info({ cancelled: result.cancelled, failures: summary.failures.length, blocked: summary.blocked.length }, 'revision reconciled');
    return summary;
  } finally {
    stopListening?.();
  }
}
