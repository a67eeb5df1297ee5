import type { SqliteDatabase } from './open-database.js';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function settle(item: Pending<unknown>, outcome: Outcome | undefined): void {
  if (outcome?.ok) item.resolve(outcome.value);
  else item.reject(outcome?.error);
}

interface Pending<T> {
  work: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: queued writes run in ONE outer transaction, each in its own savepoint, and are settled
 * only after that transaction commits AND `makeDurable` (the WAL fsync) resolves. The fsync is what
 * costs, so concurrent reports share it instead of paying one each. While one batch's fsync runs, the
 * next batch gathers and commits when it ends: its writes would wait for the next fsync anyway, and one
 * transaction of many writes costs less CPU and WAL than several small ones (index pages are written once).
 * A write that throws rolls back only its own savepoint; the others still commit.
 */
export class GroupCommit {
  private queue: Pending<unknown>[] = [];
  private scheduled = false;
  private syncing = false;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly makeDurable: () => Promise<void>,
    private readonly maxBatch = 256,
  ) {}

  /** Runs `work` inside a savepoint of the next batch; resolves with its result once durably committed. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject } as Pending<unknown>);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.syncing) return; // the running fsync schedules the next batch when it ends
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length > 0) this.schedule();
    if (batch.length === 0) return;
    const outcomes: Outcome[] = [];
    try {
      this.db.transaction(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: this.db.transaction(item.work)() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      }).immediate();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    this.syncing = true;
    this.makeDurable()
      .then(
        () => batch.forEach((item, index) => settle(item, outcomes[index])),
        (error: unknown) => batch.forEach((item) => item.reject(error)),
      )
      .finally(() => {
        this.syncing = false;
        if (this.queue.length > 0) this.schedule();
      });
  }
}
