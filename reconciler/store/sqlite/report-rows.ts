import { gunzipSync } from 'node:zlib';
import type { ConflictRecord, HardwareChange, NodeClaim, NodeEvent, RecordCounts, StoredReport } from '../types.js';
import type { SqliteDatabase } from './open-database.js';

interface ReportRow {
  id: number;
  node_id: string | null;
  received_at: string;
  source_address: string | null;
  raw_gzip: Buffer;
  raw_sha256: string;
  inventory: string;
}

interface EventRow {
  id: number;
  node_id: string;
  report_id: number;
  kind: NodeEvent['kind'];
  summary: string;
  before: string;
  after: string;
  detected_at: string;
}

interface ConflictRow {
  id: number;
  report_id: number;
  claim: string;
  reason: ConflictRecord['reason'];
  message: string;
  node_ids: string;
  status: ConflictRecord['status'];
  detected_at: string;
}

export interface ReportInsert {
  nodeId: string | null;
  receivedAt: string;
  sourceAddress: string | null;
  rawGzip: Buffer;
  rawSha256: string;
  rawBytes: number;
  inventoryJson: string;
}

function toReport<T>(row: ReportRow): StoredReport<T> {
  return {
    id: row.id,
    nodeId: row.node_id ?? undefined,
    receivedAt: row.received_at,
    sourceAddress: row.source_address ?? undefined,
    rawBody: gunzipSync(row.raw_gzip),
    rawSha256: row.raw_sha256,
    inventory: JSON.parse(row.inventory) as T,
  };
}

function toEvent(row: EventRow): NodeEvent {
  return {
    id: row.id,
    nodeId: row.node_id,
    reportId: row.report_id,
    kind: row.kind,
    summary: row.summary,
    before: JSON.parse(row.before) as unknown,
    after: JSON.parse(row.after) as unknown,
    detectedAt: row.detected_at,
  };
}

function toConflict(row: ConflictRow): ConflictRecord {
  return {
    id: row.id,
    reportId: row.report_id,
    claim: JSON.parse(row.claim) as NodeClaim,
    reason: row.reason,
    message: row.message,
    nodeIds: JSON.parse(row.node_ids) as string[],
    status: row.status,
    detectedAt: row.detected_at,
  };
}

/** One node's newest live-system report (indexed by `reports_node_hardware`, migration 3). */
export const LATEST_HARDWARE_INVENTORY = "SELECT inventory FROM reports WHERE node_id = ? AND json_extract(inventory, '$.os') IS NULL ORDER BY id DESC LIMIT 1";

/** Prepared queries for reports, node events and conflicts; one instance per database. */
export class ReportRows {
  private readonly insertReport;
  private readonly insertEvent;
  private readonly insertConflict;
  private readonly latestInventory;
  private readonly latestOfNode;
  private readonly reportsOfNode;
  private readonly reportById;
  private readonly eventsOfNode;
  private readonly conflicts;
  private readonly conflictsByStatus;
  private readonly counts;

  constructor(db: SqliteDatabase) {
    this.insertReport = db.prepare(`INSERT INTO reports
      (node_id, received_at, source_address, raw_gzip, raw_sha256, raw_bytes, inventory)
      VALUES (@nodeId, @receivedAt, @sourceAddress, @rawGzip, @rawSha256, @rawBytes, @inventoryJson)`);
    this.insertEvent = db.prepare(`INSERT INTO node_events (node_id, report_id, kind, summary, before, after, detected_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.insertConflict = db.prepare(`INSERT INTO conflicts (report_id, claim, reason, message, node_ids, detected_at)
      VALUES (?, ?, ?, ?, ?, ?)`);
    this.latestInventory = db.prepare<[string], { inventory: string }>(
      LATEST_HARDWARE_INVENTORY,
    );
    this.latestOfNode = db.prepare<[string], Omit<ReportRow, 'raw_gzip'>>(
      'SELECT id, node_id, received_at, source_address, raw_sha256, inventory FROM reports WHERE node_id = ? ORDER BY id DESC LIMIT 1',
    );
    this.reportsOfNode = db.prepare<[string], ReportRow>('SELECT * FROM reports WHERE node_id = ? ORDER BY id DESC');
    this.reportById = db.prepare<[number], ReportRow>('SELECT * FROM reports WHERE id = ?');
    this.eventsOfNode = db.prepare<[string], EventRow>('SELECT * FROM node_events WHERE node_id = ? ORDER BY id');
    this.conflicts = db.prepare<[], ConflictRow>('SELECT * FROM conflicts ORDER BY id');
    this.conflictsByStatus = db.prepare<[string], ConflictRow>('SELECT * FROM conflicts WHERE status = ? ORDER BY id');
    this.counts = db.prepare<[], RecordCounts>(`SELECT
      (SELECT count(*) FROM nodes) AS nodes, (SELECT count(*) FROM reports) AS reports,
      (SELECT count(*) FROM node_events) AS nodeEvents, (SELECT count(*) FROM conflicts) AS conflicts`);
  }

  add(report: ReportInsert): number {
    return Number(this.insertReport.run(report).lastInsertRowid);
  }

  addEvents(nodeId: string, reportId: number, changes: readonly HardwareChange[], at: string): void {
    for (const change of changes) {
      this.insertEvent.run(nodeId, reportId, change.kind, change.summary, JSON.stringify(change.before ?? null), JSON.stringify(change.after ?? null), at);
    }
  }

  addConflict(reportId: number, claim: NodeClaim, conflict: Pick<ConflictRecord, 'reason' | 'message' | 'nodeIds'>, at: string): number {
    const result = this.insertConflict.run(reportId, JSON.stringify(claim), conflict.reason, conflict.message, JSON.stringify(conflict.nodeIds), at);
    return Number(result.lastInsertRowid);
  }

  previousInventory<T>(nodeId: string): T | undefined {
    const row = this.latestInventory.get(nodeId);
    return row ? (JSON.parse(row.inventory) as T) : undefined;
  }

  latestForNode<T>(nodeId: string): Omit<StoredReport<T>, 'rawBody'> | undefined {
    const row = this.latestOfNode.get(nodeId);
    if (!row) return undefined;
    return {
      id: row.id,
      nodeId: row.node_id ?? undefined,
      receivedAt: row.received_at,
      sourceAddress: row.source_address ?? undefined,
      rawSha256: row.raw_sha256,
      inventory: JSON.parse(row.inventory) as T,
    };
  }

  listForNode<T>(nodeId: string): StoredReport<T>[] {
    return this.reportsOfNode.all(nodeId).map((row) => toReport<T>(row));
  }

  get<T>(id: number): StoredReport<T> | undefined {
    const row = this.reportById.get(id);
    return row ? toReport<T>(row) : undefined;
  }

  listEvents(nodeId: string): NodeEvent[] {
    return this.eventsOfNode.all(nodeId).map(toEvent);
  }

  listConflicts(status?: ConflictRecord['status']): ConflictRecord[] {
    return (status ? this.conflictsByStatus.all(status) : this.conflicts.all()).map(toConflict);
  }

  count(): RecordCounts {
    return this.counts.get() as RecordCounts;
  }
}
