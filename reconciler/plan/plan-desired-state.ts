import { compile } from '../compile/compile.js';
import type { ReportProgress } from '../lib/progress.js';
import type { CompileResult } from '../compile/types.js';
import { classifyNodes } from '../inventory/classify-nodes.js';
import type { InventorySnapshot } from '../inventory/snapshot.js';
import type { DesiredState } from '../manifests/desired-state.js';
import { planRevision } from './plan-revision.js';
import { describeAppliedTargets, describeProvisioning } from './provisioning.js';
import type { AppliedNodeState, Approvals, Plan } from './types.js';

export interface PlanDesiredInput {
  desired: DesiredState;
  snapshot: InventorySnapshot;
  applied: readonly AppliedNodeState[];
  approvals: Approvals;
  revision: string;
  baseRevision?: string;
  /** Told as each stage starts, with its node count (CLI progress display). */
  onProgress?: ReportProgress;
}

/**
 * Classify, compile and plan one revision against what was applied (pure). Example:
 * `const { plan } = planDesiredState({ desired, snapshot, applied: [], approvals: { byKind: {} }, revision })`.
 */
export function planDesiredState(input: PlanDesiredInput): { plan: Plan; compiled: CompileResult } {
  const { desired, snapshot } = input;
  input.onProgress?.({ phase: 'classify', total: snapshot.nodes.length, unit: 'nodes' });
  const classifications = classifyNodes(desired, snapshot.nodes);
  input.onProgress?.({ phase: 'compile', total: classifications.length, unit: 'nodes' });
  const compiled = compile({ desired, classifications, snapshot });
  input.onProgress?.({ phase: 'plan', total: compiled.targets.length, unit: 'nodes' });
  const provisioning = describeProvisioning(desired, compiled.targets, classifications);
  const plan = planRevision({
    cluster: desired.cluster.metadata.name,
    targets: compiled.targets,
    provisioning,
    applied: input.applied,
    classifications,
    approvals: input.approvals,
    budget: desired.cluster.spec.rollout?.disruptionBudget ?? {},
    problems: compiled.problems,
    revision: input.revision,
    ...(input.baseRevision === undefined ? {} : { baseRevision: input.baseRevision }),
  });
  return { plan, compiled };
}

/**
 * What the machines would be had `desired` been applied in full, with the allocations its compile made:
 * the base of a pull request stands for the applied state when the controller cannot be asked.
 */
export function describeAppliedRevision(desired: DesiredState, snapshot: InventorySnapshot, revision: string): { applied: AppliedNodeState[]; snapshot: InventorySnapshot } {
  const classifications = classifyNodes(desired, snapshot.nodes);
  const compiled = compile({ desired, classifications, snapshot });
  const provisioning = describeProvisioning(desired, compiled.targets, classifications);
  return {
    applied: describeAppliedTargets(compiled.targets, provisioning, revision),
    // The head keeps the base's hostnames and addresses, as a running controller would.
    snapshot: { ...snapshot, allocations: compiled.allocations, hostnames: compiled.hostnames, hostnameHighWater: compiled.hostnameHighWater },
  };
}
