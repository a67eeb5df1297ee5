import type { Inventory } from '../inventory/types.js';
import { PlinthError } from '../lib/errors.js';
import type { Store } from '../store/types.js';
import type { NodeSignals, ReportedState } from './driver-steps.js';

type SignalStore = Pick<Store, 'getNode' | 'getLatestReport'>;

/** What a report says about the system that sent it: the live (deploy) system sends no `os` section. */
export function reportedState(inventory: Pick<Inventory, 'os'>): ReportedState {
  return inventory.os?.bootedFrom === 'disk' ? 'installed' : 'deploy-ready';
}

function describeWrongSystem(wanted: ReportedState): string {
  return wanted === 'installed'
    ? 'it reported from the live system, not from its disk (did the disk boot fail?)'
    : 'it reported from its installed system, not from the live system (did the network boot fail?)';
}

/**
 * News from machines as the report API records it. Reports arrive through another part of the process, so
 * this polls: first the node's `lastSeen` (one row), and only when it moved, the newest report's inventory.
 * Example: `await createReportSignals(store, sleep).waitForState(id, 'installed', since, 60_000, signal)`.
 */
export function createReportSignals(store: SignalStore, sleep: (ms: number, signal: AbortSignal) => Promise<void>, pollMs = 500): NodeSignals {
  return {
    async waitForState(nodeId, state, since, timeoutMs, signal) {
      const rounds = Math.max(1, Math.ceil(timeoutMs / pollMs));
      let seen = since;
      let wrongSystem = false;
      for (let round = 0; round < rounds; round += 1) {
        const node = await store.getNode(nodeId);
        if (node && node.lastSeen > seen) {
          seen = node.lastSeen;
          const report = await store.getLatestReport<Inventory>(nodeId);
          if (report && report.receivedAt > since) {
            if (reportedState(report.inventory) === state) return { receivedAt: report.receivedAt, ...(report.inventory.os?.image ? { image: report.inventory.os.image } : {}) };
            wrongSystem = true;
          }
        }
        await sleep(pollMs, signal);
      }
      const hint = wrongSystem ? `; ${describeWrongSystem(state)}` : '';
      throw new PlinthError('APPLY_WAIT_TIMEOUT', `node ${nodeId} did not report as ${state} within ${Math.round(timeoutMs / 1000)} s${hint}`, { details: { nodeId, since, state } });
    },
  };
}
