import type { ActionResult } from '../apply/types.js';
import type { Store } from '../store/types.js';

/**
 * The failures of earlier passes of a revision that its next pass must not try again: those whose machine is
 * still `failed` and has not reported since it failed. A re-plan of the same commit comes from another machine's
 * report (or a restart); trying again would power-cycle a machine for a fault nothing has changed (wrong BMC
 * credentials, a disk too small). It is tried again at the next commit, or once the machine reports again
 * (repaired and booted, a disk changed). Interrupted actions are always resumed.
 *
 * @example const failedEarlier = await readFailedEarlier(store, await readEarlierResults(controllerStore, revision));
 */
export async function readFailedEarlier(store: Pick<Store, 'getNode'>, earlier: readonly ActionResult[]): Promise<Map<string, ActionResult>> {
  const failedEarlier = new Map<string, ActionResult>();
  for (const result of earlier) {
    if (result.outcome !== 'failed') continue;
    const node = await store.getNode(result.nodeId);
    const failedAt = node?.stepTimestamps.failed;
    if (node?.state === 'failed' && failedAt !== undefined && !isLater(node.lastSeen, failedAt)) failedEarlier.set(result.actionId, result);
  }
  return failedEarlier;
}

/** Whether ISO 8601 instant `a` is after `b` (compared as instants, whatever their precision or zone). */
function isLater(a: string, b: string): boolean {
  return Date.parse(a) > Date.parse(b);
}
