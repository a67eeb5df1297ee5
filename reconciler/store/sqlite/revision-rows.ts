import type { RevisionPhase, RevisionRecord } from '../controller-types.js';
import type { SqliteDatabase } from './open-database.js';

interface RevisionRow {
  id: number;
  revision: string;
  phase: RevisionPhase;
  summary: string;
  picked_at: string;
  finished_at: string | null;
}

function toRecord(row: RevisionRow): RevisionRecord {
  const record: RevisionRecord = {
    id: row.id,
    revision: row.revision,
    phase: row.phase,
    summary: JSON.parse(row.summary) as Record<string, unknown>,
    pickedAt: row.picked_at,
  };
  if (row.finished_at) record.finishedAt = row.finished_at;
  return record;
}

/**
 * One row per revision the controller picked up; its phase moves forward as the revision is applied. A re-plan of
 * the same revision (a new machine reported) moves it back to `applying` but keeps when it last finished.
 */
export class RevisionRows {
  private readonly upsert;
  private readonly byRevision;
  private readonly latest;

  constructor(db: SqliteDatabase) {
    this.upsert = db.prepare(`INSERT INTO revisions (revision, phase, summary, picked_at, finished_at)
      VALUES (@revision, @phase, @summary, @at, @finished)
      ON CONFLICT (revision) DO UPDATE SET phase = excluded.phase, summary = excluded.summary,
        finished_at = COALESCE(excluded.finished_at, revisions.finished_at)`);
    this.byRevision = db.prepare<[string], RevisionRow>('SELECT * FROM revisions WHERE revision = ?');
    this.latest = db.prepare<[number], RevisionRow>('SELECT * FROM revisions ORDER BY id DESC LIMIT ?');
  }

  record(revision: string, phase: RevisionPhase, at: string, summary: Record<string, unknown> = {}): RevisionRecord {
    const finished = phase === 'applied' || phase === 'invalid' ? at : null;
    this.upsert.run({ revision, phase, summary: JSON.stringify(summary), at, finished });
    return toRecord(this.byRevision.get(revision) as RevisionRow);
  }

  list(limit: number): RevisionRecord[] {
    return this.latest.all(limit).map(toRecord);
  }
}
