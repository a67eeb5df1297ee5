import { createKeyedMutex } from '../isolation/keyed-mutex.js';
import type { ShellSession } from './shell-session.js';

/** Time a session is given to close its RMCP+ session on the BMC and exit before it is killed. */
export const CLOSE_GRACE_MS = 3000;

interface Entry {
  session: ShellSession;
  idleTimer?: NodeJS.Timeout;
  /** A call is running on the session; it is never closed to make room. */
  busy: boolean;
}

export interface SessionPool {
  /** Runs `work` on the session kept under `key`, opening one with `open` when there is none (or it died). */
  use<T>(key: string, open: () => Promise<ShellSession>, work: (session: ShellSession) => Promise<T>): Promise<T>;
  /** Forgets and kills the session under `key` if it is `session` (it timed out, died or answered garbage). */
  discard(key: string, session: ShellSession): void;
  /** Closes every session (on the BMC too) and waits for the processes to exit. */
  closeAll(): Promise<void>;
  /** Process ids of the open sessions. */
  readonly pids: number[];
}

/**
 * One long-lived ipmitool session per key (BMC and credentials), opened on first use and closed after `idleMs`
 * without a call. The idle timers do not keep the process alive on their own. At most `maxSessions` stay open:
 * opening one more closes the least recently used idle one, so a sweep over thousands of BMCs holds a bounded
 * number of processes.
 */
export function createSessionPool(idleMs: number, maxSessions = 128): SessionPool {
  const entries = new Map<string, Entry>();
  // Calls on one key run one after the other; a failed call does not block the next.
  const locks = createKeyedMutex();
  /** Sessions being closed, so that `closeAll` also waits for those an idle timer began to close. */
  const closing = new Set<Promise<void>>();

  function closeSession(session: ShellSession): Promise<void> {
    const done = session.close(CLOSE_GRACE_MS).finally(() => closing.delete(done));
    closing.add(done);
    return done;
  }

  function scheduleIdleClose(key: string, entry: Entry): void {
    clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(() => {
      if (entries.get(key) !== entry) return;
      entries.delete(key);
      void closeSession(entry.session);
    }, idleMs);
    entry.idleTimer.unref();
  }

  /** Makes room for one more session by closing idle ones from the least recently used end. */
  function closeLeastRecentlyUsed(): void {
    for (const [key, entry] of entries) {
      if (entries.size < maxSessions) return;
      if (entry.busy) continue;
      clearTimeout(entry.idleTimer);
      entries.delete(key);
      void closeSession(entry.session);
    }
  }

  async function useLocked<T>(
    key: string,
    open: () => Promise<ShellSession>,
    work: (session: ShellSession) => Promise<T>,
  ): Promise<T> {
    let entry = entries.get(key);
    if (entry && !entry.session.alive) {
      clearTimeout(entry.idleTimer);
      entries.delete(key);
      entry = undefined;
    }
    if (!entry) {
      closeLeastRecentlyUsed();
      entry = { session: await open(), busy: false };
    }
    // Map order is use order: the entry moves to the end on every call.
    entries.delete(key);
    entries.set(key, entry);
    clearTimeout(entry.idleTimer);
    entry.busy = true;
    try {
      return await work(entry.session);
    } finally {
      entry.busy = false;
      if (entries.get(key) === entry) scheduleIdleClose(key, entry);
    }
  }

  return {
    use(key, open, work) {
      return locks.run(key, () => useLocked(key, open, work));
    },
    discard(key, session) {
      const entry = entries.get(key);
      if (entry?.session === session) {
        clearTimeout(entry.idleTimer);
        entries.delete(key);
      }
      session.kill();
    },
    async closeAll() {
      const open = [...entries.values()];
      entries.clear();
      for (const entry of open) clearTimeout(entry.idleTimer);
      await Promise.all([...open.map((entry) => closeSession(entry.session)), ...closing]);
    },
    get pids() {
      return [...entries.values()].map((entry) => entry.session.pid);
    },
  };
}
