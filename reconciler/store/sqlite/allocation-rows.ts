import { PlinthError } from '../../lib/errors.js';
import type { IpAllocation } from '../types.js';
import type { SqliteDatabase } from './open-database.js';

interface AllocationRow {
  id: number;
  network: string;
  address: string;
  node_id: string;
  allocated_at: string;
  released_at: string | null;
}

function toAllocation(row: AllocationRow): IpAllocation {
  const allocation: IpAllocation = { id: row.id, network: row.network, address: row.address, nodeId: row.node_id, allocatedAt: row.allocated_at };
  if (row.released_at) allocation.releasedAt = row.released_at;
  return allocation;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** IP allocations: the live (network, address) pair is unique, released rows stay as history. */
export class AllocationRows {
  private readonly insert;
  private readonly byId;
  private readonly release;
  private readonly select;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare('INSERT INTO ip_allocations (network, address, node_id, allocated_at) VALUES (?, ?, ?, ?)');
    this.byId = db.prepare<[number], AllocationRow>('SELECT * FROM ip_allocations WHERE id = ?');
    this.release = db.prepare('UPDATE ip_allocations SET released_at = ? WHERE network = ? AND address = ? AND released_at IS NULL');
    this.select = db.prepare<{ network: string | null; nodeId: string | null; all: number }, AllocationRow>(`SELECT * FROM ip_allocations
      WHERE (@network IS NULL OR network = @network) AND (@nodeId IS NULL OR node_id = @nodeId) AND (@all = 1 OR released_at IS NULL)
      ORDER BY network, id`);
  }

  allocate(input: { network: string; address: string; nodeId: string; allocatedAt: string }): IpAllocation {
    try {
      const id = Number(this.insert.run(input.network, input.address, input.nodeId, input.allocatedAt).lastInsertRowid);
      return toAllocation(this.byId.get(id) as AllocationRow);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new PlinthError('STORE_ADDRESS_TAKEN', `address ${input.address} is already allocated on network ${input.network}`, {
        cause: error,
        details: { network: input.network, address: input.address },
      });
    }
  }

  releaseAddress(input: { network: string; address: string; releasedAt: string }): boolean {
    return this.release.run(input.releasedAt, input.network, input.address).changes > 0;
  }

  list(filter: { network?: string; nodeId?: string; includeReleased?: boolean }): IpAllocation[] {
    return this.select
      .all({ network: filter.network ?? null, nodeId: filter.nodeId ?? null, all: filter.includeReleased ? 1 : 0 })
      .map(toAllocation);
  }
}
