import { parentPort, Worker } from 'node:worker_threads';

/**
 * A fixed pool of worker threads running one task function, for CPU-bound work (parsing, validation)
 * that would otherwise hold the event loop. Tasks go to the least busy worker; a worker that dies fails
 * only its own tasks and is replaced.
 *
 * @example const pool = new WorkerPool<Uint8Array, Result>(new URL('./my-worker.js', import.meta.url), 2); await pool.run(bytes)
 */
interface Pending {
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

const MAX_DEATHS_IN_A_ROW = 8;

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

/**
 * Node 20 workers do not inherit the main thread's loader hooks, so a TypeScript worker run from source
 * registers tsx itself before importing its script. Compiled `.js` workers start directly.
 */
function startWorker(script: URL): Worker {
  if (!script.pathname.endsWith('.ts')) return new Worker(script);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(boot, { eval: true });
}

export class WorkerPool<Input, Output> {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closing = false;
  /** Worker deaths since the last successful reply; a script that cannot even start is not respawned forever. */
  private deathsInARow = 0;

  constructor(
    private readonly script: URL,
    size: number,
  ) {
    for (let index = 0; index < Math.max(1, size); index++) this.slots.push(this.spawn());
  }

  run(input: Input): Promise<Output> {
    const slot = this.slots.reduce((best, candidate) => (candidate.pending.size < best.pending.size ? candidate : best));
    const id = this.nextId++;
    return new Promise<Output>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (value: never) => void, reject });
      // A worker with tasks keeps the process alive; an idle one does not hold it open.
      slot.worker.ref();
      slot.worker.postMessage({ id, input });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    const slot: Slot = { worker: startWorker(this.script), pending: new Map() };
    slot.worker.on('message', (reply: Reply) => {
      const task = slot.pending.get(reply.id);
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) slot.worker.unref();
      this.deathsInARow = 0;
      if (reply.ok) task?.resolve(reply.value as never);
      else task?.reject(new Error(reply.message));
    });
    slot.worker.on('error', (error) => this.replace(slot, error));
    slot.worker.on('exit', (code) => this.replace(slot, new Error(`worker exited with code ${code}`)));
    slot.worker.unref();
    return slot;
  }

  private replace(slot: Slot, error: unknown): void {
    for (const task of slot.pending.values()) task.reject(error);
    slot.pending.clear();
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closing || ++this.deathsInARow > MAX_DEATHS_IN_A_ROW) return;
    slot.worker.removeAllListeners();
    this.slots[index] = this.spawn();
  }
}

/** Runs inside a worker: answers each task message with `task(input)`'s result. */
export function serveWorkerTasks<Input, Output>(task: (input: Input) => Output): void {
  if (!parentPort) throw new Error('serveWorkerTasks must run in a worker thread');
  const port = parentPort;
  port.on('message', ({ id, input }: { id: number; input: Input }) => {
    try {
      port.postMessage({ id, ok: true, value: task(input) });
    } catch (error) {
      port.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  });
}
