import type { ActionKind, Approvals, PlannedAction } from './types.js';

const TRAILER = /^plinth-approve:\s*(?<kind>[a-z-]+)\s+(?<targets>.+)$/i;
const APPROVABLE: ReadonlySet<string> = new Set<ActionKind>(['reprovision', 'wipe', 'decommission', 'power']);

/**
 * Reads `Plinth-Approve: <kind> <host>[,<host>…]` lines from commit messages (any line, so several commits of
 * a pull request can be joined); `*` approves every action of that kind. Unknown kinds are ignored: an
 * approval is only ever a narrow permission. Example: `parseApprovalTrailers('fix\n\nPlinth-Approve: wipe *')`.
 */
export function parseApprovalTrailers(commitMessage: string): Approvals {
  const byKind: Partial<Record<ActionKind, string[]>> = {};
  for (const raw of commitMessage.split(/\r?\n/)) {
    const groups = TRAILER.exec(raw.trim())?.groups;
    const kind = groups?.['kind']?.toLowerCase();
    if (!groups || kind === undefined || !APPROVABLE.has(kind)) continue;
    const names = (groups['targets'] ?? '').split(/[\s,]+/).map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
    const list = (byKind[kind as ActionKind] ??= []);
    for (const name of names) if (!list.includes(name)) list.push(name);
  }
  return { byKind };
}

/** The trailer line that approves `action`, as reviewers should add it to the commit message. */
export function formatApprovalTrailer(action: Pick<PlannedAction, 'kind' | 'hostname'>): string {
  return `Plinth-Approve: ${action.kind} ${action.hostname.split('.')[0] ?? action.hostname}`;
}

function matchesAction(names: readonly string[] | undefined, action: Pick<PlannedAction, 'hostname' | 'nodeId'>): boolean {
  if (!names) return false;
  const fqdn = action.hostname.toLowerCase();
  const short = fqdn.split('.')[0] ?? fqdn;
  const id = action.nodeId.toLowerCase();
  return names.some((name) => name === '*' || name === fqdn || name === short || name === id);
}

/** Whether `action` is approved; a `wipe` approval also covers a decommission, which wipes the machine. */
export function isApproved(approvals: Approvals, action: Pick<PlannedAction, 'kind' | 'hostname' | 'nodeId'>): boolean {
  if (matchesAction(approvals.byKind[action.kind], action)) return true;
  return action.kind === 'decommission' && matchesAction(approvals.byKind.wipe, action);
}
