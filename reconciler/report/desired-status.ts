import { statusContext } from './forges/index.js';
import type { DesiredStatus } from './forges/types.js';
import { decideSummaryState, renderStatusDescription, type RevisionSummary } from './summary.js';

/**
 * The commit status for a revision summary, ready for `StatusReporter.report`.
 *
 * @example reporter.report(buildDesiredStatus(summary, sha, 'https://plinth.example.com/status'))
 */
export function buildDesiredStatus(summary: RevisionSummary, sha: string, targetUrl?: string): DesiredStatus {
  return {
    sha,
    state: decideSummaryState(summary),
    context: statusContext(summary.cluster),
    description: renderStatusDescription(summary),
    ...(targetUrl ? { targetUrl } : {}),
  };
}
