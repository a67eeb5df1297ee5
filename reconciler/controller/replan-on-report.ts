import type { IngestOutcome } from '../store/types.js';

/**
 * Whether a stored report changes what the current revision plans: the first report of a machine (it can now
 * be classified and enrolled), a report whose hardware differs from the last one (it may match another
 * profile), or a report from a machine left `failed` (repaired and booted again, it is tried again; see
 * `readFailedEarlier`). A report repeating known facts changes nothing, so a fleet's routine reports cost no
 * reconcile.
 */
export function asksForReplan(outcome: IngestOutcome): boolean {
  if (outcome.kind === 'enrolled') return true;
  return outcome.kind === 'refreshed' && (outcome.changes.length > 0 || outcome.node.state === 'failed');
}
