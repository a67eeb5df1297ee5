import type { EnrolledNode, NodeClaim, NodeState } from '../types.js';
import type { SqliteDatabase } from './open-database.js';

interface NodeRow {
  id: string;
  identity_source: string;
  serial: string | null;
  system_uuid: string | null;
  bmc_address: string | null;
  bmc_mac: string | null;
  state: string;
  status: string | null;
  error_type: string | null;
  error_message: string | null;
  error_count: number;
  step_timestamps: string;
  first_seen: string;
  last_seen: string;
  macs: string | null;
}

/** Every node column plus its MACs, comma-joined in sorted order. */
const SELECT_NODES = `SELECT n.*, (SELECT group_concat(mac, ',') FROM (SELECT mac FROM node_macs m WHERE m.node_id = n.id ORDER BY mac)) AS macs
  FROM nodes n`;

function optional(value: string | null): string | undefined {
  return value ?? undefined;
}

function toNode(row: NodeRow): EnrolledNode {
  return {
    id: row.id,
    identitySource: row.identity_source,
    serial: optional(row.serial),
    systemUuid: optional(row.system_uuid),
    macs: row.macs ? row.macs.split(',') : [],
    bmcAddress: optional(row.bmc_address),
    bmcMac: optional(row.bmc_mac),
    state: row.state as NodeState,
    status: optional(row.status),
    errorType: optional(row.error_type),
    errorMessage: optional(row.error_message),
    errorCount: row.error_count,
    stepTimestamps: JSON.parse(row.step_timestamps) as EnrolledNode['stepTimestamps'],
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
  };
}

/** Prepared node queries; one instance per database. */
export class NodeRows {
  private readonly byId;
  private readonly all;
  private readonly byMac;
  private readonly byBmcMac;
  private readonly insertNode;
  private readonly insertMac;
  private readonly touch;

  constructor(db: SqliteDatabase) {
    this.byId = db.prepare<[string], NodeRow>(`${SELECT_NODES} WHERE n.id = ?`);
    this.all = db.prepare<[], NodeRow>(`${SELECT_NODES} ORDER BY n.id`);
    this.byMac = db.prepare<[string], NodeRow>(`${SELECT_NODES} WHERE n.id IN (SELECT node_id FROM node_macs WHERE mac = ?)`);
    this.byBmcMac = db.prepare<[string], NodeRow>(`${SELECT_NODES} WHERE n.bmc_mac = ?`);
    this.insertNode = db.prepare(`INSERT INTO nodes
      (id, identity_source, serial, system_uuid, bmc_address, bmc_mac, state, step_timestamps, first_seen, last_seen)
      VALUES (@id, @identitySource, @serial, @systemUuid, @bmcAddress, @bmcMac, 'discovered', @steps, @seen, @seen)`);
    this.insertMac = db.prepare('INSERT INTO node_macs (mac, node_id) VALUES (?, ?)');
    this.touch = db.prepare('UPDATE nodes SET last_seen = ? WHERE id = ?');
  }

  get(id: string): EnrolledNode | undefined {
    const row = this.byId.get(id);
    return row ? toNode(row) : undefined;
  }

  list(): EnrolledNode[] {
    return this.all.all().map(toNode);
  }

  /** Nodes other than `exceptId` owning one of `macs`, each once. */
  findMacOwners(macs: readonly string[], exceptId: string): EnrolledNode[] {
    const owners = new Map<string, EnrolledNode>();
    for (const mac of macs) {
      for (const row of this.byMac.all(mac)) if (row.id !== exceptId) owners.set(row.id, toNode(row));
    }
    return [...owners.values()];
  }

  findBmcOwners(bmcMac: string | undefined, exceptId: string): EnrolledNode[] {
    if (!bmcMac) return [];
    return this.byBmcMac.all(bmcMac).filter((row) => row.id !== exceptId).map(toNode);
  }

  enrol(claim: NodeClaim, seen: string): void {
    this.insertNode.run({
      id: claim.id,
      identitySource: claim.identitySource,
      serial: claim.serial ?? null,
      systemUuid: claim.systemUuid ?? null,
      bmcAddress: claim.bmcAddress ?? null,
      bmcMac: claim.bmcMac ?? null,
      steps: JSON.stringify({ discovered: seen }),
      seen,
    });
    for (const mac of new Set(claim.macs)) this.insertMac.run(mac, claim.id);
  }

  /** A known node reported again. Only `last_seen` changes: identity facts are never rewritten by a report. */
  markSeen(id: string, seen: string): void {
    this.touch.run(seen, id);
  }
}
