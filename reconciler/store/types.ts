/**
 * The store keeps what plinth has observed and done: enrolled nodes, raw and normalised hardware reports,
 * hardware-change events, identity conflicts, IP and hostname allocations, the action journal and the
 * state last applied to each node. `Store` is the one interface every back-end implements (SQLite now,
 * PostgreSQL for HA later); callers never see SQL.
 *
 * Every method is asynchronous so that a networked back-end fits the same shape. A write resolves only
 * after its transaction is durably committed.
 */

import type { NodeLifecycle } from '../inventory/lifecycle.js';

/** Lifecycle states of a node (see DESIGN.md, "What a node goes through"). */
export type NodeState = NodeLifecycle;

/** What a report says about the machine that sent it: the facts identity and conflict rules work on. */
export interface NodeClaim {
  /** The node identity derived from the report (serial, or a fallback). */
  id: string;
  /** Which fact the identity came from, e.g. `system-serial`, `baseboard-serial`, `system-uuid`, `mac`. */
  identitySource: string;
  serial?: string;
  systemUuid?: string;
  /** Lower-case, colon-separated MAC addresses of the machine's NICs (BMC excluded). */
  macs: string[];
  bmcAddress?: string;
  bmcMac?: string;
}

/** A node as the store holds it: the identity facts of its claim, plus its lifecycle. */
export interface EnrolledNode extends NodeClaim {
  state: NodeState;
  /** Operational status in words, kept apart from the lifecycle state. */
  status?: string;
  errorType?: string;
  errorMessage?: string;
  errorCount: number;
  /** When the node last entered each lifecycle state (ISO 8601), so "stuck since" is always answerable. */
  stepTimestamps: Partial<Record<NodeState, string>>;
  firstSeen: string;
  lastSeen: string;
}

export type HardwareChangeKind = 'memory' | 'disks' | 'nics' | 'cpus';

/** A difference between two consecutive reports of the same node. */
export interface HardwareChange {
  kind: HardwareChangeKind;
  summary: string;
  before: unknown;
  after: unknown;
}

export interface NodeEvent extends HardwareChange {
  id: number;
  nodeId: string;
  reportId: number;
  detectedAt: string;
}

export type ConflictReason = 'mac-mismatch' | 'bmc-mismatch' | 'mac-enrolled-elsewhere' | 'bmc-enrolled-elsewhere';

export interface ConflictRecord {
  id: number;
  reportId: number;
  claim: NodeClaim;
  reason: ConflictReason;
  message: string;
  /** The enrolled nodes the report collides with; none of them was modified. */
  nodeIds: string[];
  status: 'open' | 'resolved';
  detectedAt: string;
}

interface ReportSubmissionBase {
  /** The body exactly as received; stored compressed. */
  rawBody: Uint8Array;
  claim: NodeClaim;
  receivedAt: string;
  sourceAddress?: string;
}

/**
 * A report to store: its inventory as an object, which the store encodes, or already encoded by the caller
 * (on a worker thread), whose inventory may then exist only as `encoded.inventoryJson`.
 */
export type ReportSubmission<TInventory> = ReportSubmissionBase &
  ({ inventory: TInventory; encoded?: EncodedReport } | { inventory?: TInventory; encoded: EncodedReport });

/** The stored form of a report: gzip (RFC 1952) of the raw body, its SHA-256 in hex, the inventory as JSON. */
export interface EncodedReport {
  rawGzip: Uint8Array;
  rawSha256: string;
  rawBytes: number;
  inventoryJson: string;
}

/** What the store found for a claim, read inside the transaction that will write the outcome. */
export interface IngestContext<TInventory> {
  claimed?: EnrolledNode;
  /** Nodes other than `claimed` that own one of the claimed MACs. */
  macOwners: EnrolledNode[];
  /** Nodes other than `claimed` whose BMC MAC equals the claimed one. */
  bmcOwners: EnrolledNode[];
  /** The inventory of the claimed node's latest report. */
  previousInventory?: TInventory;
}

export type IngestDecision =
  | { kind: 'enrol' }
  | { kind: 'refresh'; changes: HardwareChange[] }
  | { kind: 'conflict'; reason: ConflictReason; message: string; nodeIds: string[] };

/** A pure function deciding what a report does to the store; it runs inside the ingest transaction. */
export type DecideIngest<TInventory> = (claim: NodeClaim, context: IngestContext<TInventory>) => IngestDecision;

export type IngestOutcome =
  | { kind: 'enrolled' | 'refreshed'; node: EnrolledNode; reportId: number; changes: HardwareChange[] }
  | { kind: 'conflict'; reportId: number; conflictId: number; reason: ConflictReason; message: string; nodeIds: string[] };

export interface StoredReport<TInventory> {
  id: number;
  nodeId?: string;
  receivedAt: string;
  sourceAddress?: string;
  rawBody: Uint8Array;
  rawSha256: string;
  inventory: TInventory;
}

export interface RecordCounts {
  nodes: number;
  reports: number;
  nodeEvents: number;
  conflicts: number;
}

export interface IpAllocation {
  id: number;
  network: string;
  address: string;
  nodeId: string;
  allocatedAt: string;
  releasedAt?: string;
}

export type JournalState = 'planned' | 'started' | 'succeeded' | 'failed' | 'interrupted';

export interface JournalEntry {
  id: number;
  revision: string;
  nodeId?: string;
  action: string;
  state: JournalState;
  plannedAt: string;
  startedAt?: string;
  finishedAt?: string;
  detail: Record<string, unknown>;
}

export interface NewJournalEntry {
  revision: string;
  nodeId?: string;
  action: string;
  plannedAt: string;
  detail?: Record<string, unknown>;
}

export interface Store {
  /**
   * Stores a report and applies `decide`'s outcome in one transaction: enrol a new node, refresh a known
   * one (lastSeen, hardware-change events), or record a conflict without touching any enrolled node.
   * Resolves only once that transaction is durably committed.
   */
  ingestReport<TInventory>(submission: ReportSubmission<TInventory>, decide: DecideIngest<TInventory>): Promise<IngestOutcome>;
  getNode(id: string): Promise<EnrolledNode | undefined>;
  listNodes(): Promise<EnrolledNode[]>;
  /** Reports of a node, newest first. */
  listReports<TInventory>(nodeId: string): Promise<StoredReport<TInventory>[]>;
  getReport<TInventory>(id: number): Promise<StoredReport<TInventory> | undefined>;
  /** A node's newest report without its raw body: cheap enough to poll while waiting for a machine. */
  getLatestReport<TInventory>(nodeId: string): Promise<Omit<StoredReport<TInventory>, 'rawBody'> | undefined>;
  listNodeEvents(nodeId: string): Promise<NodeEvent[]>;
  listConflicts(filter?: { status?: ConflictRecord['status'] }): Promise<ConflictRecord[]>;
  countRecords(): Promise<RecordCounts>;

  /** Records an address for a node; fails with `STORE_ADDRESS_TAKEN` if it is live for another allocation. */
  allocateAddress(input: { network: string; address: string; nodeId: string; allocatedAt: string }): Promise<IpAllocation>;
  releaseAddress(input: { network: string; address: string; releasedAt: string }): Promise<boolean>;
  listAllocations(filter?: { network?: string; nodeId?: string; includeReleased?: boolean }): Promise<IpAllocation[]>;

  appendJournal(entry: NewJournalEntry): Promise<JournalEntry>;
  transitionJournal(id: number, change: { state: JournalState; at: string; detail?: Record<string, unknown> }): Promise<JournalEntry>;
  listJournal(filter?: { revision?: string; nodeId?: string }): Promise<JournalEntry[]>;

  close(): Promise<void>;
}
