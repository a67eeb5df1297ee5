import { afterEach, describe, expect, it } from '@jest/globals';
import { GroupCommit } from './group-commit.js';
import { openDatabase, type SqliteDatabase } from './open-database.js';

let db: SqliteDatabase | undefined;

afterEach(() => {
  db?.close();
  db = undefined;
});

/** An fsync that finishes only when the test says so. */
function controlledSync(): { makeDurable: () => Promise<void>; calls: () => number; finish: () => void } {
  const pending: (() => void)[] = [];
  return {
    makeDurable: () => new Promise<void>((resolve) => pending.push(resolve)),
    calls: () => pending.length,
    finish: () => pending.forEach((resolve) => resolve()),
  };
}

/** Lets a few turns of the event loop pass, enough for any flush already scheduled to run. */
async function letTurnsPass(): Promise<void> {
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
}

describe('GroupCommit', () => {
  it('commits the writes queued during an fsync together once it ends, and settles each after its own fsync', async () => {
    db = openDatabase(':memory:', { migrations: [] });
    db.exec('CREATE TABLE t (value INTEGER)');
    const insert = db.prepare('INSERT INTO t (value) VALUES (?)');
    const sync = controlledSync();
    const writes = new GroupCommit(db, sync.makeDurable);
    const batchOf: number[] = [];
    const write = (value: number) => writes.run(() => (batchOf[value] = sync.calls(), insert.run(value)));

    const first = write(0);
    await letTurnsPass();
    const later = [write(1), write(2)];
    await letTurnsPass();
    expect({ written: batchOf.length, fsyncs: sync.calls() }).toEqual({ written: 1, fsyncs: 1 });

    sync.finish();
    await first;
    await letTurnsPass();
    expect({ batchOf, fsyncs: sync.calls() }).toEqual({ batchOf: [0, 1, 1], fsyncs: 2 });
    sync.finish();
    await Promise.all(later);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 3 });
  });
});
