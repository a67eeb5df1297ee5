import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PlinthError } from '../../lib/errors.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) a plinth database and brings its schema up to date.
 *
 * Durability: a report is acknowledged only once it would survive a power cut, not only a process crash,
 * because the agent that sent it stops retrying and powers off on 202. Pass `synchronous: 'FULL'` to have
 * SQLite fsync the WAL inside every commit (blocking the event loop for the fsync, about 2.5 ms here). The
 * store instead opens with NORMAL and fsyncs the WAL itself, off the event loop, before acknowledging
 * (see WalSync): the same guarantee, shared by concurrent writes.
 *
 * @example const db = openDatabase('/var/lib/plinth/plinth.db');
 */
export function openDatabase(
  path: string,
  options: { synchronous?: 'FULL' | 'NORMAL'; migrations?: readonly Migration[] } = {},
): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: SqliteDatabase;
  try {
    db = new Database(path);
  } catch (error) {
    throw new PlinthError('STORE_OPEN', `cannot open database ${path}`, { cause: error, details: { path } });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('foreign_keys = ON');
    // Another plinth process (a CLI reading while the controller writes) waits instead of failing at once.
    db.pragma('busy_timeout = 5000');
    applyMigrations(db, options.migrations ?? allMigrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Applies each pending migration in its own transaction, recording it in `schema_migrations`. */
export function applyMigrations(db: SqliteDatabase, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((row) => row.version),
  );
  const known = new Set(migrations.map((migration) => migration.version));
  const unknown = [...applied].filter((version) => !known.has(version));
  if (unknown.length > 0) {
    throw new PlinthError('STORE_SCHEMA_NEWER', `database has migrations this plinth does not know: ${unknown.join(', ')}`, {
      details: { versions: unknown },
    });
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const done: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    })();
    done.push(migration.version);
  }
  return done;
}
