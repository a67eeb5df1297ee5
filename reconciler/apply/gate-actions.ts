import { formatApprovalTrailer, isApproved } from '../plan/approvals.js';
import type { Approvals, BlockedAction, PlannedAction } from '../plan/types.js';
import type { ApplyLimits } from './types.js';


/**
 * Apply's own guard on destructive actions, whatever the plan says: without approval, or beyond the
 * disruption budget (per commit, per availability zone), an action is blocked and never runs.
 */
export function gateActions(actions: readonly PlannedAction[], approvals: Approvals, limits: ApplyLimits): { runnable: PlannedAction[]; blocked: BlockedAction[] } {
  const runnable: PlannedAction[] = [];
  const blocked: BlockedAction[] = [];
  let total = 0;
  const perZone = new Map<string, number>();
  for (const action of actions) {
    if (!action.destructive) {
      runnable.push(action);
      continue;
    }
    if (!isApproved(approvals, action)) {
      blocked.push({ action, code: 'approval-required', message: `${action.kind} of ${action.hostname} needs approval (add the commit trailer "${formatApprovalTrailer(action)}")` });
      continue;
    }
    const zone = perZone.get(action.availabilityZone) ?? 0;
    if (limits.maxDestructivePerCommit !== undefined && total >= limits.maxDestructivePerCommit) {
      blocked.push({ action, code: 'disruption-budget', message: `disruption budget of ${limits.maxDestructivePerCommit} per commit is used up` });
      continue;
    }
    if (limits.maxDestructivePerZone !== undefined && zone >= limits.maxDestructivePerZone) {
      blocked.push({ action, code: 'disruption-budget', message: `disruption budget of ${limits.maxDestructivePerZone} in ${action.availabilityZone} is used up` });
      continue;
    }
    total += 1;
    perZone.set(action.availabilityZone, zone + 1);
    runnable.push(action);
  }
  return { runnable, blocked };
}

/** Actions grouped by wave, lowest first, each wave keeping the plan's order. */
export function groupWaves(actions: readonly PlannedAction[]): PlannedAction[][] {
  const waves = new Map<number, PlannedAction[]>();
  for (const action of actions) {
    const wave = waves.get(action.wave);
    if (wave) wave.push(action);
    else waves.set(action.wave, [action]);
  }
  return [...waves].sort(([a], [b]) => a - b).map(([, group]) => group);
}
