import { formatApprovalTrailer } from './approvals.js';
import { ACTION_SYMBOLS, formatSummaryLine, KIND_ORDER, KIND_TITLES, shortName } from './render-common.js';
import type { BlockedAction, Plan, PlannedAction } from './types.js';

/** ENC diffs longer than this are cut in the comment (the JSON output keeps them whole). */
const MAX_DIFF_LINES = 200;

/** A table cell: pipes escaped and line breaks flattened, so a reason can never break the table. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function table(head: readonly string[], rows: readonly string[]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows];
}

function describeDependencies(action: PlannedAction, hostnames: ReadonlyMap<string, string>): string {
  return action.dependsOn.map((id) => shortName(hostnames.get(id) ?? id)).join(', ');
}

function renderActionRow(action: PlannedAction, hostnames: ReadonlyMap<string, string>): string {
  const after = describeDependencies(action, hostnames);
  return `| ${code(ACTION_SYMBOLS[action.kind])} | ${code(shortName(action.hostname))} | ${cell(action.role)} | ${cell(action.availabilityZone || '-')} | ${action.wave} | ${cell(action.reason)} | ${cell(after || '-')} |`;
}

function renderHeader(plan: Plan): string[] {
  const lines = [`## plinth plan: cluster ${code(plan.cluster)}`, ''];
  lines.push(plan.baseRevision === undefined ? `**Revision** ${code(plan.revision)}` : `**Base** ${code(plan.baseRevision)} → **head** ${code(plan.revision)}`, '');
  if (plan.summary.destructive > 0) {
    lines.push(`> **Warning:** ${plan.summary.destructive} destructive action(s) (${plan.summary.reprovision} reprovision, ${plan.summary.wipe} wipe/decommission): machines lose what is installed on them. They are listed apart below.`, '');
  }
  if (plan.actions.length === 0 && plan.blocked.length === 0) lines.push('No changes: the machines match this revision.', '');
  return lines;
}

function renderDestructive(plan: Plan): string[] {
  const blockedIds = new Set(plan.blocked.map((entry) => entry.action.id));
  const destructive = [...plan.actions, ...plan.blocked.map((entry) => entry.action)].filter((action) => action.destructive);
  if (destructive.length === 0) return [];
  const rows = destructive.map((action) => `| ${code(ACTION_SYMBOLS[action.kind])} | ${code(shortName(action.hostname))} | ${cell(action.kind)} | ${cell(action.availabilityZone || '-')} | ${cell(action.reason)} | ${blockedIds.has(action.id) ? 'blocked' : 'runs'} |`);
  return [`### Destructive (${destructive.length})`, '', ...table(['', 'Node', 'Action', 'AZ', 'Reason', 'Status'], rows), ''];
}

function approvalHint(entry: BlockedAction): string {
  if (entry.code === 'approval-required') return code(formatApprovalTrailer(entry.action));
  if (entry.code === 'disruption-budget') return 'runs in a later commit, or raise `rollout.disruptionBudget`';
  if (entry.code === 'maintenance') return 'set `maintenance: false` on the Node';
  return 'fix the problem';
}

function renderBlocked(plan: Plan): string[] {
  if (plan.blocked.length === 0) return [];
  const rows = plan.blocked.map((entry) => `| ${code(ACTION_SYMBOLS[entry.action.kind])} | ${code(shortName(entry.action.hostname))} | ${cell(entry.action.kind)} | ${cell(`${entry.code}: ${entry.message}`)} | ${approvalHint(entry)} |`);
  return [`### Blocked (${plan.blocked.length})`, '', ...table(['', 'Node', 'Action', 'Why', 'To let it run'], rows), ''];
}

function renderGroups(plan: Plan, hostnames: ReadonlyMap<string, string>): string[] {
  const lines: string[] = [];
  for (const kind of KIND_ORDER) {
    const actions = plan.actions.filter((action) => action.kind === kind && !action.destructive);
    if (actions.length === 0) continue;
    const rows = actions.map((action) => renderActionRow(action, hostnames));
    lines.push(`### ${ACTION_SYMBOLS[kind]} ${KIND_TITLES[kind]} (${actions.length})`, '', ...table(['', 'Node', 'Role', 'AZ', 'Wave', 'Reason', 'After'], rows), '');
  }
  return lines;
}

function renderDiff(action: PlannedAction): string[] {
  const diff = (action.encDiff ?? '').replace(/\n$/, '').split('\n');
  const shown = diff.length > MAX_DIFF_LINES ? [...diff.slice(0, MAX_DIFF_LINES), `… ${diff.length - MAX_DIFF_LINES} more line(s): see \`plinth plan --output json\``] : diff;
  return [`<details><summary><code>${shortName(action.hostname)}</code> ${ACTION_SYMBOLS[action.kind]} ${action.kind}</summary>`, '', '```diff', ...shown, '```', '', '</details>'];
}

function renderDiffs(plan: Plan): string[] {
  const changed = [...plan.actions, ...plan.blocked.map((entry) => entry.action)].filter((action) => action.encDiff !== undefined);
  if (changed.length === 0) return [];
  return [`### ENC changes (${changed.length})`, '', ...changed.flatMap((action) => [...renderDiff(action), ''])];
}

function renderProblems(plan: Plan): string[] {
  if (plan.problems.length === 0) return [];
  const items = plan.problems.map((problem) => `- **${problem.severity}** ${problem.nodeId === undefined ? '' : `${code(problem.nodeId)}: `}${problem.message.replace(/\r?\n/g, ' ')}`);
  return [`### Problems (${plan.problems.length})`, '', ...items, ''];
}

/**
 * The plan as a pull-request comment: header, destructive actions apart, blocked ones with the trailer that
 * approves them, the rest grouped by kind, ENC diffs folded, and the summary as the very last line.
 * Carries ENC placeholders only, never a secret. Example: `renderPlanMarkdown(plan)`.
 */
export function renderPlanMarkdown(plan: Plan): string {
  const hostnames = new Map([...plan.actions, ...plan.blocked.map((entry) => entry.action)].map((action) => [action.id, action.hostname]));
  const lines = [...renderHeader(plan), ...renderDestructive(plan), ...renderBlocked(plan), ...renderGroups(plan, hostnames), ...renderDiffs(plan), ...renderProblems(plan), formatSummaryLine(plan)];
  return `${lines.join('\n')}\n`;
}
