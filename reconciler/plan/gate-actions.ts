import { formatApprovalTrailer, isApproved } from './approvals.js';
import type { Approvals, BlockedAction, PlannedAction } from './types.js';

/** Cluster `rollout.disruptionBudget`: how many destructive actions one commit, and one zone, may cause. */
export interface DisruptionBudget {
  maxPerCommit?: number;
  maxPerAvailabilityZone?: number;
}

export interface GatedActions {
  runnable: PlannedAction[];
  blocked: BlockedAction[];
}

/**
 * Holds back what must not run at this revision: anything on a machine in maintenance, destructive actions
 * without approval, and approved destructive actions beyond the disruption budget (first come in plan order).
 * `actions` must already be in plan order. Pure.
 */
export function gateActions(actions: readonly PlannedAction[], options: { approvals: Approvals; budget: DisruptionBudget; maintenance: ReadonlySet<string> }): GatedActions {
  const runnable: PlannedAction[] = [];
  const blocked: BlockedAction[] = [];
  const perZone = new Map<string, number>();
  let total = 0;
  const { maxPerCommit, maxPerAvailabilityZone } = options.budget;
  for (const action of actions) {
    if (options.maintenance.has(action.nodeId)) {
      blocked.push({ action, code: 'maintenance', message: `${action.hostname} is in maintenance; set maintenance: false on its Node to let plinth act on it` });
      continue;
    }
    if (!action.destructive) {
      runnable.push(action);
      continue;
    }
    if (!isApproved(options.approvals, action)) {
      blocked.push({ action, code: 'approval-required', message: `${action.kind} is destructive and needs approval: add the commit trailer "${formatApprovalTrailer(action)}"` });
      continue;
    }
    const zone = action.availabilityZone;
    const inZone = perZone.get(zone) ?? 0;
    if (maxPerCommit !== undefined && total >= maxPerCommit) {
      blocked.push({ action, code: 'disruption-budget', message: `the disruption budget allows ${maxPerCommit} destructive action(s) per commit; this one waits for a later commit` });
      continue;
    }
    if (maxPerAvailabilityZone !== undefined && inZone >= maxPerAvailabilityZone) {
      blocked.push({ action, code: 'disruption-budget', message: `the disruption budget allows ${maxPerAvailabilityZone} destructive action(s) per availability zone (${zone || 'none'}); this one waits for a later commit` });
      continue;
    }
    total += 1;
    perZone.set(zone, inZone + 1);
    runnable.push(action);
  }
  return { runnable, blocked };
}

/**
 * An action whose dependency is held back is held back too, with the same code: a controller's ENC that names
 * a node not yet enrolled must not be published ahead of it. Repeats until nothing moves (at most once per action).
 */
export function holdDependents(gated: GatedActions): GatedActions {
  const runnable = [...gated.runnable];
  const blocked = [...gated.blocked];
  const held = new Map(blocked.map((entry) => [entry.action.id, entry]));
  for (let moved = true; moved; ) {
    moved = false;
    for (let index = 0; index < runnable.length; index += 1) {
      const action = runnable[index];
      const cause = action?.dependsOn.map((id) => held.get(id)).find((entry) => entry !== undefined);
      if (!action || !cause) continue;
      const entry: BlockedAction = { action, code: cause.code, message: `waits for ${cause.action.kind} of ${cause.action.hostname}, which is blocked (${cause.code})` };
      blocked.push(entry);
      held.set(action.id, entry);
      runnable.splice(index, 1);
      index -= 1;
      moved = true;
    }
  }
  return { runnable, blocked };
}
