import { PlinthError } from '../../lib/errors.js';
import type { JournalEntry, JournalState, NewJournalEntry } from '../types.js';
import type { SqliteDatabase } from './open-database.js';

interface JournalRow {
  id: number;
  revision: string;
  node_id: string | null;
  action: string;
  state: JournalState;
  planned_at: string;
  started_at: string | null;
  finished_at: string | null;
  detail: string;
}

function toEntry(row: JournalRow): JournalEntry {
  const entry: JournalEntry = {
    id: row.id,
    revision: row.revision,
    action: row.action,
    state: row.state,
    plannedAt: row.planned_at,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
  if (row.node_id) entry.nodeId = row.node_id;
  if (row.started_at) entry.startedAt = row.started_at;
  if (row.finished_at) entry.finishedAt = row.finished_at;
  return entry;
}

/** Which states an entry may move to; a finished entry never changes again. */
const NEXT_STATES: Record<JournalState, readonly JournalState[]> = {
  planned: ['started', 'interrupted'],
  started: ['succeeded', 'failed', 'interrupted'],
  succeeded: [],
  failed: [],
  interrupted: [],
};

/** The action journal: every action is written before it runs and again when it ends. */
export class JournalRows {
  private readonly insert;
  private readonly byId;
  private readonly update;
  private readonly select;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare(`INSERT INTO action_journal (revision, node_id, action, state, planned_at, detail)
      VALUES (?, ?, ?, 'planned', ?, ?)`);
    this.byId = db.prepare<[number], JournalRow>('SELECT * FROM action_journal WHERE id = ?');
    this.update = db.prepare(`UPDATE action_journal SET state = @state, detail = @detail,
      started_at = CASE WHEN @state = 'started' THEN @at ELSE started_at END,
      finished_at = CASE WHEN @state IN ('succeeded', 'failed', 'interrupted') THEN @at ELSE finished_at END
      WHERE id = @id`);
    this.select = db.prepare<{ revision: string | null; nodeId: string | null }, JournalRow>(`SELECT * FROM action_journal
      WHERE (@revision IS NULL OR revision = @revision) AND (@nodeId IS NULL OR node_id = @nodeId) ORDER BY id`);
  }

  append(entry: NewJournalEntry): JournalEntry {
    const id = Number(this.insert.run(entry.revision, entry.nodeId ?? null, entry.action, entry.plannedAt, JSON.stringify(entry.detail ?? {})).lastInsertRowid);
    return toEntry(this.byId.get(id) as JournalRow);
  }

  transition(id: number, change: { state: JournalState; at: string; detail?: Record<string, unknown> }): JournalEntry {
    const row = this.byId.get(id);
    if (!row) throw new PlinthError('STORE_NOT_FOUND', `journal entry ${id} does not exist`, { details: { id } });
    if (!NEXT_STATES[row.state].includes(change.state)) {
      throw new PlinthError('STORE_JOURNAL_TRANSITION', `journal entry ${id} cannot go from ${row.state} to ${change.state}`, {
        details: { id, from: row.state, to: change.state },
      });
    }
    const detail = { ...(JSON.parse(row.detail) as Record<string, unknown>), ...change.detail };
    this.update.run({ id, state: change.state, at: change.at, detail: JSON.stringify(detail) });
    return toEntry(this.byId.get(id) as JournalRow);
  }

  list(filter: { revision?: string; nodeId?: string }): JournalEntry[] {
    return this.select.all({ revision: filter.revision ?? null, nodeId: filter.nodeId ?? null }).map(toEntry);
  }
}
