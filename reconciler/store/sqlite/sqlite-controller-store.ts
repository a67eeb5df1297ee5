import type { AppliedNodeState, NodeLifecycle } from '../../plan/types.js';
import type { AppliedStateQuery, ControllerStore, Enrolment, HostnameIndex, LifecycleChange, RevisionPhase, RevisionRecord } from '../controller-types.js';
import type { IpAllocation, JournalEntry, JournalState, NewJournalEntry } from '../types.js';
import { AllocationRows } from './allocation-rows.js';
import { AppliedStateRows } from './applied-state-rows.js';
import { JournalRows } from './journal-rows.js';
import { openDatabase, type SqliteDatabase } from './open-database.js';
import { RevisionRows } from './revision-rows.js';

/** Each node's newest live-system report (indexed by `reports_node_hardware`, migration 3). */
export const LATEST_HARDWARE_INVENTORIES = `SELECT node_id, inventory FROM reports
  WHERE id IN (SELECT MAX(id) FROM reports WHERE node_id IS NOT NULL AND json_extract(inventory, '$.os') IS NULL GROUP BY node_id)`;

/**
 * The controller's side of the embedded SQLite store. It opens its own connection to the same file as
 * `SqliteStore` (WAL lets both work at once) with `synchronous=FULL`: the controller writes a few rows per
 * driver step, so an fsync inside each commit costs little and keeps every journal write durable on return.
 *
 * @example const store = SqliteControllerStore.open('/var/lib/plinth/plinth.db');
 */
export class SqliteControllerStore implements ControllerStore {
  private readonly applied: AppliedStateRows;
  private readonly allocations: AllocationRows;
  private readonly journal: JournalRows;
  private readonly revisions: RevisionRows;
  private readonly latestInventories;
  private readonly stateByMac;
  private closed = false;

  constructor(private readonly db: SqliteDatabase) {
    // Hardware facts come from the live system's reports; an installed system's report (`os`) is only a sign of life.
    this.latestInventories = db.prepare<[], { node_id: string; inventory: string }>(LATEST_HARDWARE_INVENTORIES);
    this.stateByMac = db.prepare<[string], { state: NodeLifecycle }>('SELECT n.state FROM nodes n JOIN node_macs m ON m.node_id = n.id WHERE m.mac = ?');
    this.applied = new AppliedStateRows(db);
    this.allocations = new AllocationRows(db);
    this.journal = new JournalRows(db);
    this.revisions = new RevisionRows(db);
  }

  static open(path: string): SqliteControllerStore {
    return new SqliteControllerStore(openDatabase(path, { synchronous: 'FULL' }));
  }

  async listAppliedStates(query: AppliedStateQuery = {}): Promise<AppliedNodeState[]> {
    return this.applied.list(query);
  }

  async readAppliedEncs(nodeIds: readonly string[]): Promise<Map<string, string>> {
    return this.applied.readEncs(nodeIds);
  }

  async saveAppliedState(state: AppliedNodeState, at: string): Promise<void> {
    this.applied.save(state, at);
  }

  async recordEnrolment(enrolment: Enrolment, journalId: number): Promise<void> {
    this.db.transaction(() => {
      const held = new Set(this.allocations.list({ nodeId: enrolment.nodeId }).map((row) => `${row.network}\u0000${row.address}`));
      for (const { network, address } of enrolment.addresses) {
        if (held.has(`${network}\u0000${address}`)) continue;
        this.allocations.allocate({ network, address, nodeId: enrolment.nodeId, allocatedAt: enrolment.at });
      }
      if (enrolment.hostname) this.applied.holdHostname(enrolment.hostname, enrolment.at);
      this.journal.transition(journalId, { state: 'started', at: enrolment.at });
    })();
  }

  async listHostnames(): Promise<HostnameIndex[]> {
    return this.applied.listHostnames();
  }

  async listLatestInventories<T>(prepare: (parsed: unknown) => T = (parsed) => parsed as T): Promise<Map<string, T>> {
    // Row by row: each stored text and its parsed form are garbage before the next row, never 10,000 at once.
    const inventories = new Map<string, T>();
    for (const row of this.latestInventories.iterate()) inventories.set(row.node_id, prepare(JSON.parse(row.inventory)));
    return inventories;
  }

  async listLiveAllocations(): Promise<IpAllocation[]> {
    return this.allocations.list({});
  }

  async setLifecycle(change: LifecycleChange): Promise<void> {
    this.applied.setLifecycle(change);
  }

  async findNodeStateByMac(mac: string): Promise<NodeLifecycle | undefined> {
    return this.stateByMac.get(mac)?.state;
  }

  async appendJournal(entry: NewJournalEntry): Promise<JournalEntry> {
    return this.journal.append(entry);
  }

  async transitionJournal(id: number, change: { state: JournalState; at: string; detail?: Record<string, unknown> }): Promise<JournalEntry> {
    return this.journal.transition(id, change);
  }

  async listJournal(filter: { revision?: string; nodeId?: string } = {}): Promise<JournalEntry[]> {
    return this.journal.list(filter);
  }

  async recordRevision(revision: string, phase: RevisionPhase, at: string, summary?: Record<string, unknown>): Promise<RevisionRecord> {
    return this.revisions.record(revision, phase, at, summary);
  }

  async listRevisions(limit = 20): Promise<RevisionRecord[]> {
    return this.revisions.list(limit);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
