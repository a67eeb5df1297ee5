import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Makes committed WAL frames durable with an fsync that runs on libuv's thread pool instead of inside
 * SQLite's commit on the event loop. Concurrent callers share syncs: a call waits for the first fsync
 * that STARTS after it, so every write committed before the call is covered, and a burst of N commits
 * costs two fsyncs, not N.
 *
 * Why this is as durable as `synchronous=FULL`: in WAL mode FULL differs from NORMAL only by syncing the
 * WAL at each commit; with NORMAL SQLite still syncs the WAL before each checkpoint and the database after
 * it. So a frame committed under NORMAL is on disk once the WAL is fsynced (here) or once a checkpoint
 * copied it (SQLite). The WAL keeps its inode while this connection is open, so one handle suffices.
 */
export class WalSync {
  private handle: FileHandle | undefined;
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly databasePath: string) {}

  /** Resolves once everything committed before this call is on stable storage. */
  sync(): Promise<void> {
    if (!this.inFlight) {
      this.inFlight = this.fsyncOnce().finally(() => {
        this.inFlight = undefined;
      });
      return this.inFlight;
    }
    // The running fsync may have started before our commit: queue exactly one more behind it.
    this.queued ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.sync();
      });
    return this.queued;
  }

  async close(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    await this.queued?.catch(() => undefined);
    await this.handle?.close();
    this.handle = undefined;
  }

  private async fsyncOnce(): Promise<void> {
    if (!this.handle) {
      this.handle = await open(`${this.databasePath}-wal`, 'r');
      // The WAL file was created by this process: its directory entry must reach the disk too.
      const directory = await open(dirname(this.databasePath), 'r');
      await directory.sync().finally(() => directory.close());
    }
    await this.handle.sync();
  }
}
