import { buildSnapshot } from '../inventory/build-snapshot.js';
import type { InventorySnapshot } from '../inventory/snapshot.js';
import type { Inventory } from '../inventory/types.js';
import type { ControllerStore } from '../store/controller-types.js';
import type { Store } from '../store/types.js';
import { createSharer } from '../lib/share-identical.js';

/** Code-unit order, as the snapshot's allocations and hostnames are sorted. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The inventory a compile starts from: every enrolled node with its latest inventory, the live address
 * allocations and the hostnames held. Reads the stored inventories only, never the raw report bodies,
 * so a large fleet costs one query rather than a decompression per report.
 */
export async function loadInventorySnapshot(store: Pick<Store, 'listNodes'>, controllerStore: ControllerStore, at: string): Promise<InventorySnapshot> {
  // A fleet's inventories repeat the same hardware facts: one shared copy each, as long as the compile keeps them.
  const share = createSharer();
  const inventories = await controllerStore.listLatestInventories((parsed) => share(parsed as Inventory));
  const entries = [];
  for (const node of await store.listNodes()) {
    const inventory = inventories.get(node.id);
    if (inventory) entries.push({ id: node.id, inventory, firstSeen: node.firstSeen, lastSeen: node.lastSeen, state: node.state });
  }
  const allocations = (await controllerStore.listLiveAllocations()).map(({ network, address, nodeId }) => ({ network, address, nodeId }));
  allocations.sort((a, b) => compareText(a.network, b.network) || compareText(a.address, b.address));
  const hostnames = (await controllerStore.listHostnames()).filter((entry) => entry.hostname !== '');
  hostnames.sort((a, b) => compareText(a.role, b.role) || a.index - b.index);
  const highWater: Record<string, number> = {};
  for (const entry of hostnames) highWater[entry.role] = Math.max(highWater[entry.role] ?? 0, entry.index);
  return { ...buildSnapshot(entries, at), allocations, hostnames, hostnameHighWater: highWater };
}
