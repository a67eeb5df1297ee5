import { ACTION_SYMBOLS, formatSummaryLine } from './render-common.js';
import type { Plan, PlannedAction } from './types.js';

function formatAction(action: PlannedAction): string {
  const symbol = ACTION_SYMBOLS[action.kind].padStart(3);
  return `${symbol} ${action.kind.padEnd(12)} ${action.hostname} (${action.role}, wave ${action.wave}${action.availabilityZone ? `, ${action.availabilityZone}` : ''}): ${action.reason}`;
}

/** The plan for a terminal: one line per action in apply order, blocked ones with why, then the summary. */
export function renderPlanText(plan: Plan): string {
  const lines = [`plinth plan for cluster ${plan.cluster}: ${plan.baseRevision === undefined ? '' : `${plan.baseRevision} → `}${plan.revision}`, ''];
  if (plan.actions.length === 0 && plan.blocked.length === 0) lines.push('No changes: the machines match this revision.', '');
  for (const action of plan.actions) {
    lines.push(formatAction(action));
    if (action.dependsOn.length > 0) lines.push(`      after ${action.dependsOn.join(', ')}`);
  }
  if (plan.actions.length > 0) lines.push('');
  if (plan.blocked.length > 0) {
    lines.push(`Blocked (${plan.blocked.length}):`);
    for (const entry of plan.blocked) lines.push(formatAction(entry.action), `      blocked (${entry.code}): ${entry.message}`);
    lines.push('');
  }
  for (const problem of plan.problems) lines.push(`${problem.severity}: ${problem.nodeId === undefined ? '' : `${problem.nodeId}: `}${problem.message}`);
  if (plan.problems.length > 0) lines.push('');
  if (plan.summary.destructive > 0) lines.push(`Warning: ${plan.summary.destructive} destructive action(s).`);
  lines.push(formatSummaryLine(plan));
  return `${lines.join('\n')}\n`;
}
