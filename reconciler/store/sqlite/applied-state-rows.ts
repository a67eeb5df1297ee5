import { PlinthError } from '../../lib/errors.js';
import type { AppliedNodeState } from '../../plan/types.js';
import type { AppliedStateQuery, HostnameIndex, LifecycleChange } from '../controller-types.js';
import type { SqliteDatabase } from './open-database.js';

interface NodeErrorRow {
  error_type: string | null;
  error_count: number;
  step_timestamps: string;
}

/** Applied state per node, hostname indices and lifecycle transitions: the rows apply writes. */
export class AppliedStateRows {
  private readonly upsert;
  private readonly selectAll;
  private readonly selectAllElided;
  private readonly selectOne;
  private readonly selectOneElided;
  private readonly selectEnc;
  private readonly insertHostname;
  private readonly hostnameOf;
  private readonly selectHostnames;
  private readonly nodeError;
  private readonly updateLifecycle;

  constructor(db: SqliteDatabase) {
    this.upsert = db.prepare(`INSERT INTO applied_state (node_id, enc_digest, dhcp_entry, boot_device, power, image, puppet_result, updated_at, document)
      VALUES (@nodeId, @encDigest, @dhcp, @bootDevice, @power, @image, @puppet, @at, @document)
      ON CONFLICT (node_id) DO UPDATE SET enc_digest = excluded.enc_digest, dhcp_entry = excluded.dhcp_entry,
        boot_device = excluded.boot_device, power = excluded.power, image = excluded.image,
        puppet_result = excluded.puppet_result, updated_at = excluded.updated_at, document = excluded.document`);
    this.selectAll = db.prepare<[], { document: string }>('SELECT document FROM applied_state WHERE document IS NOT NULL ORDER BY node_id');
    // The ENC text is most of a document: leaving it in SQLite keeps one copy per node out of the controller's heap.
    this.selectAllElided = db.prepare<[], { document: string }>(
      "SELECT json_replace(document, '$.encYaml', '') AS document FROM applied_state WHERE document IS NOT NULL ORDER BY node_id",
    );
    this.selectOne = db.prepare<[string], { document: string }>('SELECT document FROM applied_state WHERE node_id = ? AND document IS NOT NULL');
    this.selectOneElided = db.prepare<[string], { document: string }>(
      "SELECT json_replace(document, '$.encYaml', '') AS document FROM applied_state WHERE node_id = ? AND document IS NOT NULL",
    );
    this.selectEnc = db.prepare<[string], { enc: string | null }>("SELECT json_extract(document, '$.encYaml') AS enc FROM applied_state WHERE node_id = ?");
    this.insertHostname = db.prepare('INSERT INTO hostname_indices (role, idx, node_id, allocated_at, hostname) VALUES (?, ?, ?, ?, ?)');
    this.hostnameOf = db.prepare<[string, string], { idx: number }>('SELECT idx FROM hostname_indices WHERE role = ? AND node_id = ?');
    this.selectHostnames = db.prepare<[], { role: string; idx: number; node_id: string; hostname: string | null }>(
      'SELECT role, idx, node_id, hostname FROM hostname_indices ORDER BY role, idx',
    );
    this.nodeError = db.prepare<[string], NodeErrorRow>('SELECT error_type, error_count, step_timestamps FROM nodes WHERE id = ?');
    this.updateLifecycle = db.prepare(`UPDATE nodes SET state = @state, status = @status, error_type = @errorType,
      error_message = @errorMessage, error_count = @errorCount, step_timestamps = @steps WHERE id = @id`);
  }

  save(state: AppliedNodeState, at: string): void {
    this.upsert.run({
      nodeId: state.nodeId,
      encDigest: state.encDigest ?? null,
      dhcp: state.dhcp ? JSON.stringify(state.dhcp) : null,
      bootDevice: state.bootDevice ?? null,
      power: state.power ?? null,
      image: state.image ? JSON.stringify(state.image) : null,
      puppet: state.puppet ? JSON.stringify(state.puppet) : null,
      at,
      document: JSON.stringify(state),
    });
  }

  list(query: AppliedStateQuery = {}): AppliedNodeState[] {
    const parse = (row: { document: string }): AppliedNodeState => JSON.parse(row.document) as AppliedNodeState;
    if (query.nodeIds === undefined) return (query.elideEncYaml ? this.selectAllElided : this.selectAll).all().map(parse);
    const select = query.elideEncYaml ? this.selectOneElided : this.selectOne;
    const rows = [...new Set(query.nodeIds)].sort().map((nodeId) => select.get(nodeId));
    return rows.filter((row) => row !== undefined).map(parse);
  }

  readEncs(nodeIds: readonly string[]): Map<string, string> {
    const encs = new Map<string, string>();
    for (const nodeId of nodeIds) {
      const enc = this.selectEnc.get(nodeId)?.enc;
      if (typeof enc === 'string') encs.set(nodeId, enc);
    }
    return encs;
  }

  /** Idempotent for the same node; a role's index held by another node is a conflict, never overwritten. */
  holdHostname(entry: HostnameIndex, at: string): void {
    const held = this.hostnameOf.get(entry.role, entry.nodeId);
    if (held?.idx === entry.index) return;
    try {
      this.insertHostname.run(entry.role, entry.index, entry.nodeId, at, entry.hostname);
    } catch (error) {
      throw new PlinthError('STORE_HOSTNAME_TAKEN', `hostname index ${entry.role}/${entry.index} is already held`, {
        cause: error,
        details: { role: entry.role, index: entry.index, nodeId: entry.nodeId },
      });
    }
  }

  listHostnames(): HostnameIndex[] {
    return this.selectHostnames.all().map((row) => ({ nodeId: row.node_id, role: row.role, index: row.idx, hostname: row.hostname ?? '' }));
  }

  setLifecycle(change: LifecycleChange): void {
    const row = this.nodeError.get(change.nodeId);
    if (!row) throw new PlinthError('STORE_NOT_FOUND', `node ${change.nodeId} is not enrolled`, { details: { nodeId: change.nodeId } });
    const steps = { ...(JSON.parse(row.step_timestamps) as Record<string, string>), [change.lifecycle]: change.at };
    const errorCount = change.error ? (row.error_type === change.error.type ? row.error_count + 1 : 1) : 0;
    this.updateLifecycle.run({
      id: change.nodeId,
      state: change.lifecycle,
      status: change.status ?? null,
      errorType: change.error?.type ?? null,
      errorMessage: change.error?.message ?? null,
      errorCount,
      steps: JSON.stringify(steps),
    });
  }
}
