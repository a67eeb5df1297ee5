import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { UsageError } from '../../lib/errors.js';
import { addProgressOptions, startProgress, writersAround, type ProgressFlags } from '../../lib/progress-flags.js';
import type { ReportProgress } from '../../lib/progress.js';
import { buildSnapshot } from '../../inventory/build-snapshot.js';
import { checkSnapshot } from '../../inventory/read-snapshot.js';
import type { HostnameAssignment, InventorySnapshot } from '../../inventory/snapshot.js';
import type { Inventory } from '../../inventory/types.js';
import type { HostnameIndex } from '../../store/controller-types.js';
import { SqliteControllerStore } from '../../store/sqlite/sqlite-controller-store.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { Store } from '../../store/types.js';

interface ExportFlags extends ProgressFlags {
  db: string;
  output?: string;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Highest index per role: retired indices stay used, so the export carries them to plan-time compiles. */
function computeHighWater(hostnames: readonly HostnameAssignment[]): Record<string, number> {
  const highWater: Record<string, number> = {};
  for (const entry of hostnames) highWater[entry.role] = Math.max(highWater[entry.role] ?? 0, entry.index);
  return highWater;
}

/**
 * Reads every enrolled machine (with its latest report's inventory), the live address allocations and the
 * hostnames held, as one snapshot. Machines without a stored report are left out: compile needs facts.
 */
export async function exportInventory(store: Store, hostnames: readonly HostnameIndex[], at: string, onProgress?: ReportProgress): Promise<InventorySnapshot> {
  const entries = [];
  const nodes = await store.listNodes();
  for (const [index, node] of nodes.entries()) {
    onProgress?.({ phase: 'read nodes', done: index, total: nodes.length, unit: 'nodes' });
    const [latest] = await store.listReports<Inventory>(node.id);
    if (!latest) continue;
    entries.push({ id: node.id, inventory: latest.inventory, firstSeen: node.firstSeen, lastSeen: node.lastSeen, state: node.state });
  }
  onProgress?.({ phase: 'read nodes', done: nodes.length, total: nodes.length, unit: 'nodes' });
  onProgress?.({ phase: 'read allocations' });
  const snapshot = buildSnapshot(entries, at);
  const allocations = (await store.listAllocations({})).map(({ network, address, nodeId }) => ({ network, address, nodeId }));
  allocations.sort((a, b) => compareText(a.network, b.network) || compareText(a.address, b.address));
  const held = hostnames.filter((entry) => entry.hostname !== '').map(({ nodeId, role, index, hostname }) => ({ nodeId, role, index, hostname }));
  held.sort((a, b) => compareText(a.role, b.role) || a.index - b.index);
  return { ...snapshot, allocations, hostnames: held, hostnameHighWater: computeHighWater(held) };
}

/**
 * `plinth inventory export [--db PATH] [--output FILE]`: writes the inventory snapshot CI needs to run
 * `plinth plan` without reaching the controller. Example: `plinth inventory export --db /var/lib/plinth/plinth.db --output inventory.json`.
 */
export async function runInventoryExport(flags: ExportFlags, write: (text: string) => void, now: () => Date = () => new Date(), onProgress?: ReportProgress): Promise<number> {
  if (!existsSync(flags.db)) throw new UsageError(`no store at ${flags.db}`);
  const store = SqliteStore.open(flags.db);
  const controller = SqliteControllerStore.open(flags.db);
  try {
    const snapshot = await exportInventory(store, await controller.listHostnames(), now().toISOString(), onProgress);
    onProgress?.({ phase: 'check snapshot', total: snapshot.nodes.length, unit: 'nodes' });
    const problems = checkSnapshot(snapshot);
    if (problems.length > 0) throw new UsageError(`the store holds data that does not form a valid snapshot:\n  ${problems.join('\n  ')}`);
    const text = `${JSON.stringify(snapshot, null, 2)}\n`;
    if (flags.output === undefined) write(text);
    else {
      onProgress?.({ phase: 'write snapshot', total: text.length, unit: 'bytes' });
      await writeFileAtomic(flags.output, text);
    }
    return 0;
  } finally {
    await controller.close();
    await store.close();
  }
}

export function registerInventoryExport(program: Command): void {
  const inventory = program.commands.find((command) => command.name() === 'inventory') ?? program.command('inventory').description('inventory snapshots');
  const command = inventory
    .command('export')
    .description('write the inventory snapshot (machines, allocations, hostnames) that `plinth plan --inventory` reads')
    .option('--db <path>', 'the SQLite store', '/var/lib/plinth/plinth.db')
    .option('--output <file>', 'where to write the snapshot (stdout when absent)');
  addProgressOptions(command).action(async (flags: ExportFlags) => {
    const progress = startProgress(flags, process.stderr, 'inventory export');
    try {
      process.exitCode = await runInventoryExport(flags, writersAround(progress).write, undefined, progress?.report);
    } finally {
      progress?.finish(process.exitCode === undefined ? 'failed' : 'done');
    }
  });
}
