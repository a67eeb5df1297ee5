import { PlinthError } from '../lib/errors.js';
import type { Store } from '../store/types.js';
import type { NodeSignals } from './driver-steps.js';

/**
 * News from machines as the report API records it: a node that booted into the deploy environment posts a
 * report, which moves its `lastSeen`. Polled, because reports arrive through another part of the process.
 */
export function createReportSignals(store: Pick<Store, 'getNode'>, sleep: (ms: number, signal: AbortSignal) => Promise<void>, pollMs = 500): NodeSignals {
  return {
    async waitForReport(nodeId, since, timeoutMs, signal) {
      const rounds = Math.max(1, Math.ceil(timeoutMs / pollMs));
      for (let round = 0; round < rounds; round += 1) {
        const node = await store.getNode(nodeId);
        if (node && node.lastSeen > since) return { receivedAt: node.lastSeen };
        await sleep(pollMs, signal);
      }
      throw new PlinthError('APPLY_WAIT_TIMEOUT', `node ${nodeId} did not report within ${Math.round(timeoutMs / 1000)} s`, { details: { nodeId, since } });
    },
  };
}
