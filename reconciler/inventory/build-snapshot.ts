import { PlinthError } from '../lib/errors.js';
import { compareText } from './match-profile.js';
import type { InventorySnapshot, SnapshotNode } from './snapshot.js';
import type { Inventory } from './types.js';

export interface SnapshotEntry {
  inventory: Inventory;
  /** Identity to file the machine under; the inventory's own identity when absent. */
  id?: string;
  firstSeen?: string;
  lastSeen?: string;
  state?: string;
}

/**
 * Makes an inventory snapshot from normalised inventories, sorted by identity as exported snapshots are.
 * Pure: `at` stands for the clock (export time, and first/last seen when an entry gives none).
 * Example: `buildSnapshot(reports.map((report) => ({ inventory: normaliseReport(report).inventory })), now)`.
 */
export function buildSnapshot(entries: readonly SnapshotEntry[], at: string): InventorySnapshot {
  const nodes = entries.map((entry, index): SnapshotNode => {
    const id = entry.id ?? entry.inventory.identity.id;
    if (id.trim() === '') {
      throw new PlinthError('SNAPSHOT_INVALID', `machine ${index + 1} (${entry.inventory.system.productName || 'unknown product'}) has no identity; give it an id`);
    }
    const node: SnapshotNode = { id, inventory: entry.inventory, firstSeen: entry.firstSeen ?? at, lastSeen: entry.lastSeen ?? at };
    if (entry.state !== undefined) node.state = entry.state;
    return node;
  });
  nodes.sort((a, b) => compareText(a.id, b.id));
  nodes.forEach((node, index) => {
    if (index > 0 && nodes[index - 1]?.id === node.id) throw new PlinthError('SNAPSHOT_INVALID', `machine ${node.id} is given twice`);
  });
  return { version: 1, exportedAt: at, nodes, allocations: [], hostnames: [], hostnameHighWater: {} };
}
