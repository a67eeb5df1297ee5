import type { CompileResult } from '../compile/types.js';
import type { InventorySnapshot } from '../inventory/snapshot.js';
import { compareText } from './load-snapshot.js';

/** What one compile gave out: addresses and hostnames, stored only once each node's enrolment runs. */
export type HeldAllocations = Pick<CompileResult, 'allocations' | 'hostnames' | 'hostnameHighWater'>;

/**
 * The stored allocations and hostnames, plus those `held` gave out. A second compile of the same commit while
 * the first one's apply runs (machines joining it) must not hand out again what the first gave to nodes whose
 * enrolment has not run yet; it keeps them where they are and allocates only for the newcomers.
 *
 * @example compiler.compile({ desired, classifications, snapshot: holdAllocations(stored, first) })
 */
export function holdAllocations(snapshot: InventorySnapshot, held: HeldAllocations): InventorySnapshot {
  const allocations = new Map([...snapshot.allocations, ...held.allocations].map((entry) => [`${entry.network} ${entry.address}`, entry]));
  const hostnames = new Map([...snapshot.hostnames, ...held.hostnames].map((entry) => [`${entry.role} ${entry.index}`, entry]));
  const highWater = { ...snapshot.hostnameHighWater };
  for (const [role, index] of Object.entries(held.hostnameHighWater)) highWater[role] = Math.max(highWater[role] ?? 0, index);
  return {
    ...snapshot,
    allocations: [...allocations.values()].sort((a, b) => compareText(a.network, b.network) || compareText(a.address, b.address)),
    hostnames: [...hostnames.values()].sort((a, b) => compareText(a.role, b.role) || a.index - b.index),
    hostnameHighWater: highWater,
  };
}
