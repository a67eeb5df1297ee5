import type { ApplyResult } from '../apply/types.js';
import type { Problem } from '../lib/problems.js';
import type { Plan } from '../plan/types.js';
import type { ActionNote, RevisionSummary } from '../report/summary.js';

/** The published summary of an applied revision: counts per kind and outcome, failures and blocked with reasons. */
export function summarizeApply(plan: Plan, result: ApplyResult): RevisionSummary {
  const counts: RevisionSummary['counts'] = {};
  const failures: ActionNote[] = [];
  const blocked: ActionNote[] = [];
  let pending = 0;
  // A node's last action in this revision says where it ended.
  const lastState = new Map<string, string>();
  for (const action of result.results) {
    if (action.lifecycle) lastState.set(action.nodeId, action.lifecycle);
    const byOutcome = (counts[action.kind] ??= {});
    byOutcome[action.outcome] = (byOutcome[action.outcome] ?? 0) + 1;
    const note = { node: action.hostname, action: action.kind, reason: action.reason ?? action.outcome };
    if (action.outcome === 'failed' || action.outcome === 'interrupted') failures.push(note);
    else if (action.outcome === 'blocked') blocked.push(note);
    // Held back by a failure, it waits for the failed machine or the next commit: the commit's outcome is final.
    else if (action.outcome === 'skipped' && action.heldByFailure !== true) pending += 1;
  }
  const nodes: Record<string, number> = {};
  for (const state of lastState.values()) nodes[state] = (nodes[state] ?? 0) + 1;
  return { cluster: plan.cluster, revision: plan.revision, phase: 'applied', counts, failures, blocked, pending, validationErrors: [], ...(lastState.size > 0 ? { nodes } : {}) };
}

/** The summary of a commit that failed validation: nothing applied, every located error listed. */
export function summarizeInvalid(cluster: string, revision: string, problems: readonly Problem[]): RevisionSummary {
  const errors = problems.filter((problem) => problem.severity === 'error');
  return { cluster, revision, phase: 'invalid', counts: {}, failures: [], blocked: [], pending: 0, validationErrors: errors };
}
