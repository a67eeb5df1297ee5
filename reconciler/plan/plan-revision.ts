import type { CompileProblem, NodeTarget } from '../compile/types.js';
import type { Classification } from '../inventory/classification.js';
import { decideAction } from './decide-action.js';
import { gateActions, holdDependents, type DisruptionBudget } from './gate-actions.js';
import { linkCompositionDependencies, sortActions } from './link-dependencies.js';
import type { NodeProvisioning } from './provisioning.js';
import type { AppliedNodeState, Approvals, BlockedAction, Plan, PlannedAction, PlanSummary } from './types.js';

export interface PlanInput {
  cluster: string;
  targets: readonly NodeTarget[];
  /** DHCP entry, image and RAID per machine (see `describeProvisioning`). */
  provisioning: ReadonlyMap<string, NodeProvisioning>;
  applied: readonly AppliedNodeState[];
  classifications: readonly Classification[];
  approvals: Approvals;
  budget: DisruptionBudget;
  /** Compile's problems: attached to the plan, and machines they stop are shown as blocked. */
  problems?: readonly CompileProblem[];
  revision: string;
  baseRevision?: string;
}

/** Counts every proposed action, runnable or blocked: reviewers see all a commit asks for. */
function summarize(actions: readonly PlannedAction[], blocked: readonly BlockedAction[]): PlanSummary {
  const summary: PlanSummary = { enrol: 0, change: 0, reprovision: 0, wipe: 0, destructive: 0, blocked: blocked.length };
  for (const action of [...actions, ...blocked.map((entry) => entry.action)]) {
    if (action.kind === 'enrol') summary.enrol += 1;
    else if (action.kind === 'reprovision') summary.reprovision += 1;
    else if (action.kind === 'wipe' || action.kind === 'decommission') summary.wipe += 1;
    else summary.change += 1;
    if (action.destructive) summary.destructive += 1;
  }
  return summary;
}

/** Machines compile could not give a target to: held back with the reason, so the plan does not hide them. */
function blockProblemMachines(input: PlanInput, targeted: ReadonlySet<string>): BlockedAction[] {
  const applied = new Map(input.applied.map((state) => [state.nodeId, state]));
  const classified = new Map(input.classifications.map((classification) => [classification.nodeId, classification]));
  const messages = new Map<string, string[]>();
  for (const problem of input.problems ?? []) {
    if (problem.nodeId === undefined || problem.severity !== 'error' || targeted.has(problem.nodeId)) continue;
    messages.set(problem.nodeId, [...(messages.get(problem.nodeId) ?? []), problem.message]);
  }
  const blocked = [...messages].map(([nodeId, reasons]): BlockedAction => {
    const before = applied.get(nodeId);
    const classification = classified.get(nodeId);
    const kind = before === undefined ? 'enrol' : 'reconfigure';
    const action: PlannedAction = {
      id: `${nodeId}/${kind}`, nodeId, hostname: before?.hostname ?? nodeId, role: classification?.role ?? before?.role ?? '',
      availabilityZone: classification?.placement?.availabilityZone ?? '', kind, destructive: false, wave: 0,
      reason: `cannot be compiled: ${reasons.join('; ')}`, steps: [], dependsOn: [],
    };
    return { action, code: 'compile-problem', message: reasons.join('; ') };
  });
  return blocked.sort((a, b) => (a.action.hostname < b.action.hostname ? -1 : a.action.hostname > b.action.hostname ? 1 : 0));
}

/**
 * Compares the targets of a revision with what was applied and returns the ordered actions, each with its
 * reason (pure: no I/O, no clock). Example:
 * `planRevision({ cluster, targets, provisioning: describeProvisioning(desired, targets, classifications), applied: [], classifications, approvals: { byKind: {} }, budget: {}, revision })`.
 */
export function planRevision(input: PlanInput): Plan {
  const appliedById = new Map(input.applied.map((state) => [state.nodeId, state]));
  const proposed: PlannedAction[] = [];
  for (const target of input.targets) {
    const action = decideAction(target, input.provisioning.get(target.nodeId), appliedById.get(target.nodeId));
    if (action) proposed.push(action);
  }
  const ordered = sortActions(proposed);
  linkCompositionDependencies(ordered, input.applied);
  const maintenance = new Set(input.targets.filter((target) => target.maintenance).map((target) => target.nodeId));
  const gated = holdDependents(gateActions(ordered, { approvals: input.approvals, budget: input.budget, maintenance }));
  const blocked = [...gated.blocked, ...blockProblemMachines(input, new Set(input.targets.map((target) => target.nodeId)))];
  return {
    cluster: input.cluster,
    revision: input.revision,
    ...(input.baseRevision === undefined ? {} : { baseRevision: input.baseRevision }),
    actions: gated.runnable,
    blocked,
    problems: [...(input.problems ?? [])],
    summary: summarize(gated.runnable, blocked),
  };
}

/** Whether a plan asks for anything (what `plinth plan`'s exit code 2 reports). */
export function hasChanges(plan: Plan): boolean {
  return plan.actions.length > 0 || plan.blocked.length > 0;
}
