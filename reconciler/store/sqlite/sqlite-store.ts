import type {
  ConflictRecord,
  DecideIngest,
  EnrolledNode,
  IngestOutcome,
  IpAllocation,
  JournalEntry,
  JournalState,
  NewJournalEntry,
  NodeEvent,
  RecordCounts,
  ReportSubmission,
  Store,
  StoredReport,
} from '../types.js';
import { AllocationRows } from './allocation-rows.js';
import { GroupCommit } from './group-commit.js';
import { prepareReport, writeReport } from './ingest-report.js';
import { JournalRows } from './journal-rows.js';
import { NodeRows } from './node-rows.js';
import { openDatabase, type SqliteDatabase } from './open-database.js';
import { ReportRows } from './report-rows.js';
import { WalSync } from './wal-sync.js';

export interface SqliteStoreOptions {
  /** Most writes committed together in one transaction (one fsync). */
  maxBatch?: number;
}

/**
 * The embedded store: one SQLite file, for a single controller. Reads are synchronous under the hood;
 * writes are queued and group-committed (see GroupCommit), and resolve once the commit is on disk
 * (see WalSync for why `synchronous=NORMAL` plus our own WAL fsync is as durable as FULL).
 *
 * @example const store = SqliteStore.open('/var/lib/plinth/plinth.db');
 */
export class SqliteStore implements Store {
  private readonly nodes: NodeRows;
  private readonly reports: ReportRows;
  private readonly allocations: AllocationRows;
  private readonly journal: JournalRows;
  private readonly writes: GroupCommit;
  private readonly walSync: WalSync | undefined;
  private closed = false;

  /** `db` must be in WAL mode; with `synchronous=NORMAL` pass its path so commits are fsynced before they resolve. */
  constructor(
    private readonly db: SqliteDatabase,
    options: SqliteStoreOptions & { walSyncPath?: string } = {},
  ) {
    this.nodes = new NodeRows(db);
    this.reports = new ReportRows(db);
    this.allocations = new AllocationRows(db);
    this.journal = new JournalRows(db);
    const walSync = options.walSyncPath ? new WalSync(options.walSyncPath) : undefined;
    this.walSync = walSync;
    this.writes = new GroupCommit(db, () => walSync?.sync() ?? Promise.resolve(), options.maxBatch);
  }

  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    if (path === ':memory:') return new SqliteStore(openDatabase(path), options);
    return new SqliteStore(openDatabase(path, { synchronous: 'NORMAL' }), { ...options, walSyncPath: path });
  }

  async ingestReport<T>(submission: ReportSubmission<T>, decide: DecideIngest<T>): Promise<IngestOutcome> {
    const prepared = await prepareReport(submission);
    return this.writes.run(() => writeReport(this.nodes, this.reports, prepared, decide));
  }

  async getNode(id: string): Promise<EnrolledNode | undefined> {
    return this.nodes.get(id);
  }

  async listNodes(): Promise<EnrolledNode[]> {
    return this.nodes.list();
  }

  async listReports<T>(nodeId: string): Promise<StoredReport<T>[]> {
    return this.reports.listForNode<T>(nodeId);
  }

  async getReport<T>(id: number): Promise<StoredReport<T> | undefined> {
    return this.reports.get<T>(id);
  }

  async getLatestReport<T>(nodeId: string): Promise<Omit<StoredReport<T>, 'rawBody'> | undefined> {
    return this.reports.latestForNode<T>(nodeId);
  }

  async listNodeEvents(nodeId: string): Promise<NodeEvent[]> {
    return this.reports.listEvents(nodeId);
  }

  async listConflicts(filter: { status?: ConflictRecord['status'] } = {}): Promise<ConflictRecord[]> {
    return this.reports.listConflicts(filter.status);
  }

  async countRecords(): Promise<RecordCounts> {
    return this.reports.count();
  }

  allocateAddress(input: { network: string; address: string; nodeId: string; allocatedAt: string }): Promise<IpAllocation> {
    return this.writes.run(() => this.allocations.allocate(input));
  }

  releaseAddress(input: { network: string; address: string; releasedAt: string }): Promise<boolean> {
    return this.writes.run(() => this.allocations.releaseAddress(input));
  }

  async listAllocations(filter: { network?: string; nodeId?: string; includeReleased?: boolean } = {}): Promise<IpAllocation[]> {
    return this.allocations.list(filter);
  }

  appendJournal(entry: NewJournalEntry): Promise<JournalEntry> {
    return this.writes.run(() => this.journal.append(entry));
  }

  transitionJournal(id: number, change: { state: JournalState; at: string; detail?: Record<string, unknown> }): Promise<JournalEntry> {
    return this.writes.run(() => this.journal.transition(id, change));
  }

  async listJournal(filter: { revision?: string; nodeId?: string } = {}): Promise<JournalEntry[]> {
    return this.journal.list(filter);
  }

  /** Waits for queued writes to commit, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.writes.run(() => undefined);
    } finally {
      await this.walSync?.close();
      this.db.close();
    }
  }
}
