import type { Problem } from '../lib/problems.js';

/** What happened to one action of a revision. */
export type ActionOutcome = 'succeeded' | 'failed' | 'blocked' | 'skipped' | 'interrupted' | 'pending';

/** An action that did not succeed, with the reason an operator needs. */
export interface ActionNote {
  node: string;
  action: string;
  reason: string;
}

/**
 * Everything reported about one revision: counts per action kind and outcome, the failures and blocked
 * actions with reasons, how many are still pending, and the validation errors of an invalid commit.
 * It holds names and reasons only, never configuration values, so it is safe to publish.
 */
export interface RevisionSummary {
  cluster: string;
  /** `<branch>@sha1:<40 hex>` */
  revision: string;
  /**
   * `picked-up` and `applying` are interim; `applied` and `invalid` are final, and so is `superseded`: a newer
   * commit was announced before this one's apply ended, and the rest of its work is left to that commit.
   */
  phase: 'picked-up' | 'applying' | 'applied' | 'invalid' | 'superseded';
  /** For `superseded`: the commit (40 hex) that took over. */
  supersededBy?: string;
  /** action kind (`enrol`, `reprovision`, …) → outcome → count */
  counts: Record<string, Partial<Record<ActionOutcome, number>>>;
  failures: ActionNote[];
  blocked: ActionNote[];
  pending: number;
  validationErrors: Problem[];
  /** Lifecycle state → how many of the nodes this revision acted on ended there (`installed: 3, failed: 1`). */
  nodes?: Record<string, number>;
}

export type SummaryState = 'pending' | 'success' | 'failure' | 'error';

/**
 * The commit-status state of a summary. Blocked destructive actions make it a failure: the commit's
 * desired state is not reached until someone approves them, and a green mark would say otherwise.
 */
export function decideSummaryState(summary: RevisionSummary): SummaryState {
  if (summary.phase === 'invalid' || summary.validationErrors.length > 0) return 'failure';
  // Never finished and never will be: `pending` would stay on the commit forever, `success` would claim its state
  // was reached. `error` is the forges' "could not complete" (GitLab, which has no such state, shows `failed`).
  if (summary.phase === 'superseded') return 'error';
  if (summary.phase !== 'applied' || summary.pending > 0) return 'pending';
  return summary.failures.length > 0 || summary.blocked.length > 0 ? 'failure' : 'success';
}

const OUTCOME_ORDER: readonly ActionOutcome[] = ['succeeded', 'failed', 'blocked', 'skipped', 'interrupted', 'pending'];
/** A reason that looks like it carries a credential is cut before its value. */
const SECRET_LIKE = /\b(password|passwd|secret|token|apikey|api_key|authorization)\b\s*[=:]\s*\S+/gi;
const MAX_REASON = 300;

/** One line, no control characters, no credential-looking values, bounded length. */
export function sanitizeReason(reason: string): string {
  // eslint-disable-next-line no-control-regex
  const line = reason.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(SECRET_LIKE, '$1=[redacted]').trim();
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON - 1)}…` : line;
}

function renderCounts(counts: RevisionSummary['counts']): string[] {
  return Object.keys(counts)
    .sort()
    .map((action) => {
      const byOutcome = counts[action] ?? {};
      const parts = OUTCOME_ORDER.filter((outcome) => (byOutcome[outcome] ?? 0) > 0).map((outcome) => `${byOutcome[outcome]} ${outcome}`);
      return `  ${action}: ${parts.join(', ') || 'none'}`;
    });
}

function renderNotes(title: string, notes: readonly ActionNote[]): string[] {
  if (notes.length === 0) return [];
  const sorted = [...notes].sort((a, b) => a.node.localeCompare(b.node) || a.action.localeCompare(b.action));
  return [`${title}:`, ...sorted.map((note) => `  - ${note.node} ${note.action}: ${sanitizeReason(note.reason)}`)];
}

/** A node ends `installed` only when its ENC was delivered and no Puppet run was started: the note says so. */
const STATE_MEANING: Readonly<Record<string, string>> = { installed: ' (ENC delivered; Puppet not run)' };

function renderNodeStates(nodes: Readonly<Record<string, number>>): string[] {
  const states = Object.keys(nodes).sort();
  if (states.length === 0) return [];
  return ['nodes:', ...states.map((state) => `  ${state}: ${nodes[state] ?? 0}${STATE_MEANING[state] ?? ''}`)];
}

/**
 * The git note written on the applied commit: stable text (sorted, no timestamps) so that writing the
 * same summary twice changes nothing.
 *
 * @example renderSummaryNote(summary) // 'plinth: par1 main@sha1:… success\n…'
 */
export function renderSummaryNote(summary: RevisionSummary): string {
  const lines = [`plinth: ${summary.cluster} ${summary.revision} ${decideSummaryState(summary)} (${summary.phase})`];
  const counts = renderCounts(summary.counts);
  if (counts.length > 0) lines.push('actions:', ...counts);
  lines.push(...renderNotes('failures', summary.failures), ...renderNotes('blocked', summary.blocked));
  if (summary.pending > 0) lines.push(`${summary.phase === 'superseded' ? 'left to the newer commit' : 'pending'}: ${summary.pending}`);
  if (summary.supersededBy !== undefined) lines.push(`superseded by: ${summary.supersededBy}`);
  lines.push(...renderNodeStates(summary.nodes ?? {}));
  if (summary.validationErrors.length > 0) {
    lines.push('validation errors:');
    for (const problem of summary.validationErrors) lines.push(`  - ${problem.file}:${problem.line}:${problem.col} ${sanitizeReason(problem.message)}`);
  }
  return `${lines.join('\n')}\n`;
}

export const MAX_STATUS_DESCRIPTION = 140;

function countOutcome(summary: RevisionSummary, outcome: ActionOutcome): number {
  return Object.values(summary.counts).reduce((total, byOutcome) => total + (byOutcome[outcome] ?? 0), 0);
}

/** ` (node action)` of the first note in a stable order: a reviewer sees where to look without opening the note. */
function nameFirst(notes: readonly ActionNote[]): string {
  const [first] = [...notes].sort((a, b) => a.node.localeCompare(b.node) || a.action.localeCompare(b.action));
  return first ? ` (${first.node} ${first.action})` : '';
}

/** A forge status description of at most 140 characters, the most important facts first. */
export function renderStatusDescription(summary: RevisionSummary): string {
  if (summary.phase === 'invalid' || summary.validationErrors.length > 0) {
    const first = summary.validationErrors[0];
    const where = first ? `; first: ${first.file}:${first.line} ${sanitizeReason(first.message)}` : '';
    return trimDescription(`invalid: ${summary.validationErrors.length} validation error(s), nothing applied${where}`);
  }
  const parts = [
    `${countOutcome(summary, 'succeeded')} ok`,
    `${summary.failures.length} failed${nameFirst(summary.failures)}`,
    `${summary.blocked.length} blocked${nameFirst(summary.blocked)}`,
    ...(summary.pending > 0 ? [`${summary.pending} pending`] : []),
  ];
  const lead = leadOf(summary);
  // Where the nodes ended comes last: when the text must be cut, the action counts matter more.
  const states = Object.keys(summary.nodes ?? {}).sort().map((state) => `${summary.nodes?.[state] ?? 0} ${state}`);
  return trimDescription(`${lead}: ${parts.join(', ')}${states.length > 0 ? `; nodes: ${states.join(', ')}` : ''}`);
}

function leadOf(summary: RevisionSummary): string {
  if (summary.phase === 'superseded') return `superseded by ${(summary.supersededBy ?? 'a newer commit').slice(0, 12)} before its apply ended`;
  return summary.phase === 'applied' ? 'applied' : summary.phase === 'picked-up' ? 'picked up' : 'applying';
}

/**
 * The final summary of a revision whose apply stopped because a newer commit was announced, with actions
 * left undone (counted as pending): that commit takes them over, this one will never finish them.
 *
 * @example markSuperseded(summary, newerSha).phase // 'superseded'
 */
export function markSuperseded(summary: RevisionSummary, newerDigest: string): RevisionSummary {
  return { ...summary, phase: 'superseded', supersededBy: newerDigest };
}

export function trimDescription(text: string, limit = MAX_STATUS_DESCRIPTION): string {
  const chars = [...text];
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join('')}…`;
}
