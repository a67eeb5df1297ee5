import type { AppliedNodeState, NodeLifecycle } from '../plan/types.js';
import type { IpAllocation, JournalEntry, JournalState, NewJournalEntry } from './types.js';

/**
 * What the controller keeps beside the inventory: the state applied to each node, the allocations made
 * when a node is enrolled, lifecycle transitions with typed errors, the action journal, and the revisions
 * it picked up. Like `Store`, every method is asynchronous and resolves once durably committed.
 */

export interface HostnameIndex {
  nodeId: string;
  role: string;
  index: number;
  hostname: string;
}

/** Everything a node holds once enrolled; written in one transaction with the journal entry that starts the enrolment. */
export interface Enrolment {
  nodeId: string;
  addresses: readonly { network: string; address: string }[];
  hostname?: HostnameIndex;
  at: string;
}

export interface LifecycleChange {
  nodeId: string;
  lifecycle: NodeLifecycle;
  at: string;
  /** Operational status in words. */
  status?: string;
  /** A typed error: `errorCount` grows while the same `errorType` repeats, and clears on success. */
  error?: { type: string; message: string };
}

export type RevisionPhase = 'picked-up' | 'applying' | 'applied' | 'invalid';

export interface RevisionRecord {
  id: number;
  revision: string;
  phase: RevisionPhase;
  summary: Record<string, unknown>;
  pickedAt: string;
  /** When it last finished applying (kept while a re-plan of it runs) or was found invalid. */
  finishedAt?: string;
}

/** Which applied states to read: only some nodes, and/or without the ENC text (the largest field). */
export interface AppliedStateQuery {
  nodeIds?: readonly string[];
  /** A stored `encYaml` comes back as `''` (still telling that one was applied); `readAppliedEncs` reads the text. */
  elideEncYaml?: boolean;
}

export interface ControllerStore {
  listAppliedStates(query?: AppliedStateQuery): Promise<AppliedNodeState[]>;
  /** The applied ENC text of each of `nodeIds` that has one (for plan diffs). */
  readAppliedEncs(nodeIds: readonly string[]): Promise<Map<string, string>>;
  saveAppliedState(state: AppliedNodeState, at: string): Promise<void>;
  /** Records the node's addresses and hostname index and moves `journalId` to `started`, atomically. */
  recordEnrolment(enrolment: Enrolment, journalId: number): Promise<void>;
  listHostnames(): Promise<HostnameIndex[]>;
  /** Each enrolled node's latest report inventory (not the raw bodies): what a compile reads; `prepare` sees each as parsed. */
  listLatestInventories<TInventory>(prepare?: (parsed: unknown) => TInventory): Promise<Map<string, TInventory>>;
  listLiveAllocations(): Promise<IpAllocation[]>;
  setLifecycle(change: LifecycleChange): Promise<void>;
  /** The lifecycle state of the node owning `mac` (canonical form), if any. */
  findNodeStateByMac(mac: string): Promise<NodeLifecycle | undefined>;

  appendJournal(entry: NewJournalEntry): Promise<JournalEntry>;
  transitionJournal(id: number, change: { state: JournalState; at: string; detail?: Record<string, unknown> }): Promise<JournalEntry>;
  listJournal(filter?: { revision?: string; nodeId?: string }): Promise<JournalEntry[]>;

  recordRevision(revision: string, phase: RevisionPhase, at: string, summary?: Record<string, unknown>): Promise<RevisionRecord>;
  /** Newest first. */
  listRevisions(limit?: number): Promise<RevisionRecord[]>;
  close(): Promise<void>;
}
