import type { ActionNote } from '../report/summary.js';
import type { ControllerStore, RevisionRecord } from '../store/controller-types.js';
import type { Store } from '../store/types.js';

export interface FailingNode {
  node: string;
  state: string;
  errorType: string;
  message: string;
  count: number;
  since?: string;
}

/** What `plinth status` and `GET /v1/status` show. */
export interface ControllerStatus {
  lastApplied?: { revision: string; finishedAt?: string };
  lastAttempted?: { revision: string; phase: string; pickedAt: string };
  nodesByState: Record<string, number>;
  blocked: ActionNote[];
  failing: FailingNode[];
  validationErrors: { file: string; line: number; col: number; message: string }[];
}

function notesOf(record: RevisionRecord | undefined, key: 'blocked'): ActionNote[] {
  const value = record?.summary[key];
  return Array.isArray(value) ? (value as ActionNote[]) : [];
}

/** Reads the controller's status from the store: both the HTTP route and `plinth status --data` use it. */
export async function readStatus(store: Pick<Store, 'listNodes'>, controllerStore: Pick<ControllerStore, 'listRevisions'>): Promise<ControllerStatus> {
  const revisions = await controllerStore.listRevisions(50);
  const attempted = revisions[0];
  // A revision re-planned after new reports is `applying` again, but was applied before: it still counts.
  const applied = revisions.find((record) => record.phase === 'applied' || (record.phase === 'applying' && record.finishedAt !== undefined));
  const nodesByState: Record<string, number> = {};
  const failing: FailingNode[] = [];
  for (const node of await store.listNodes()) {
    nodesByState[node.state] = (nodesByState[node.state] ?? 0) + 1;
    if (node.errorType) {
      failing.push({ node: node.id, state: node.state, errorType: node.errorType, message: node.errorMessage ?? '', count: node.errorCount, ...(node.stepTimestamps[node.state] ? { since: node.stepTimestamps[node.state] } : {}) });
    }
  }
  const errors = attempted?.phase === 'invalid' && Array.isArray(attempted.summary['validationErrors']) ? (attempted.summary['validationErrors'] as ControllerStatus['validationErrors']) : [];
  return {
    ...(applied ? { lastApplied: { revision: applied.revision, ...(applied.finishedAt ? { finishedAt: applied.finishedAt } : {}) } } : {}),
    ...(attempted ? { lastAttempted: { revision: attempted.revision, phase: attempted.phase, pickedAt: attempted.pickedAt } } : {}),
    nodesByState,
    blocked: notesOf(applied ?? attempted, 'blocked'),
    failing,
    validationErrors: errors.map(({ file, line, col, message }) => ({ file, line, col, message })),
  };
}

/** How a failed machine gets its next try: re-plans of the same commit for other machines' reports leave it failed. */
export const FAILED_HINT = '  (a failed machine is tried again at the next commit, or once it reports again: push a commit, or boot it into discovery)';

/** The status as text for a terminal: revisions, counts, then what needs attention, with reasons. */
export function renderStatus(status: ControllerStatus): string {
  const lines = [
    `last applied:   ${status.lastApplied?.revision ?? 'none'}${status.lastApplied?.finishedAt ? ` (${status.lastApplied.finishedAt})` : ''}`,
    `last attempted: ${status.lastAttempted ? `${status.lastAttempted.revision} (${status.lastAttempted.phase})` : 'none'}`,
    'nodes by state:',
    ...Object.entries(status.nodesByState).sort(([a], [b]) => a.localeCompare(b)).map(([state, count]) => `  ${state}: ${count}`),
  ];
  if (status.validationErrors.length > 0) {
    lines.push('invalid revision, nothing applied:', ...status.validationErrors.map((problem) => `  ${problem.file}:${problem.line}:${problem.col} ${problem.message}`));
  }
  if (status.blocked.length > 0) lines.push('blocked:', ...status.blocked.map((note) => `  ${note.node} ${note.action}: ${note.reason}`));
  if (status.failing.length > 0) {
    lines.push('failing:', ...status.failing.map((node) => `  ${node.node} ${node.state} ${node.errorType} (x${node.count}${node.since ? `, since ${node.since}` : ''}): ${node.message}`));
    if (status.failing.some((node) => node.state === 'failed')) lines.push(FAILED_HINT);
  }
  return `${lines.join('\n')}\n`;
}
