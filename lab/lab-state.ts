import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../reconciler/lib/atomic-write.js';

/** A process the lab started, with the program name `down` checks before signalling (PIDs get reused). */
export interface LabProcess {
  role: string;
  pid: number;
  program: string;
}

/**
 * Everything the lab created, recorded as it is created, so `down` removes exactly that even after a
 * failed `up`. Kept outside the lab folder (which `down` deletes last).
 */
export interface LabState {
  namespace: string;
  dir: string;
  /** Folders holding a `qemu.pid` written by a BMC's chassis hook. */
  nodeDirs: string[];
  processes: LabProcess[];
  createdAt: string;
}

export async function readLabState(path: string): Promise<LabState | undefined> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  return text === undefined ? undefined : (JSON.parse(text) as LabState);
}

export async function writeLabState(path: string, state: LabState): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`);
}

/** Appends to the state and saves it at once, so a crash right after a start still leaves the PID on record. */
export function createStateRecorder(path: string, state: LabState): {
  state: LabState;
  addProcess(process: LabProcess): Promise<void>;
  addNodeDir(dir: string): Promise<void>;
} {
  return {
    state,
    async addProcess(process) {
      state.processes.push(process);
      await writeLabState(path, state);
    },
    async addNodeDir(dir) {
      state.nodeDirs.push(dir);
      await writeLabState(path, state);
    },
  };
}
