import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readStatus } from '../reconciler/controller/read-status.js';
import { runCommand } from '../reconciler/lib/command.js';
import { SqliteControllerStore } from '../reconciler/store/sqlite/sqlite-controller-store.js';
import { SqliteStore } from '../reconciler/store/sqlite/sqlite-store.js';
import type { JournalEntry } from '../reconciler/store/types.js';
import type { LabNode } from './lab-config.js';

/**
 * What the lab's controller has done, read the way an operator would: the store (`plinth status --data`),
 * the git note on a commit, and the calls each simulated BMC's chassis hook logged.
 */

/** One node as the store holds it: lifecycle state, per-state timestamps, last error, and when its reports arrived. */
export interface NodeProgress {
  state?: string;
  stepTimestamps: Record<string, string>;
  errorType?: string;
  errorMessage?: string;
  /** receivedAt of each stored report, oldest first. */
  reports: { receivedAt: string; sourceAddress?: string; bootedFrom?: string }[];
}

/** Every lab node's progress by name (nodes are stored under their SMBIOS serial). */
export async function readNodeProgress(databasePath: string, nodes: readonly LabNode[]): Promise<Record<string, NodeProgress>> {
  const store = SqliteStore.open(databasePath);
  try {
    const progress: Record<string, NodeProgress> = {};
    for (const node of nodes) {
      const stored = await store.getNode(node.serial);
      const reports = await store.listReports<{ os?: { bootedFrom?: string } }>(node.serial);
      progress[node.name] = {
        ...(stored ? { state: stored.state } : {}),
        stepTimestamps: Object.fromEntries(Object.entries(stored?.stepTimestamps ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined)),
        ...(stored?.errorType ? { errorType: stored.errorType } : {}),
        ...(stored?.errorMessage ? { errorMessage: stored.errorMessage } : {}),
        reports: reports
          .map((report) => ({ receivedAt: report.receivedAt, ...(report.sourceAddress ? { sourceAddress: report.sourceAddress } : {}), ...(report.inventory.os?.bootedFrom ? { bootedFrom: report.inventory.os.bootedFrom } : {}) }))
          .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)),
      };
    }
    return progress;
  } finally {
    await store.close();
  }
}

/** The controller's journal of a revision (every action and step, before and after it ran). */
export async function readJournal(databasePath: string, revision?: string): Promise<JournalEntry[]> {
  const store = SqliteControllerStore.open(databasePath);
  try {
    return await store.listJournal(revision === undefined ? {} : { revision });
  } finally {
    await store.close();
  }
}

/** The revision (`branch@sha1:…`) the controller last finished applying, or undefined before the first. */
export async function readLastApplied(databasePath: string): Promise<string | undefined> {
  const [store, controllerStore] = [SqliteStore.open(databasePath), SqliteControllerStore.open(databasePath)];
  try {
    return (await readStatus(store, controllerStore)).lastApplied?.revision;
  } finally {
    await controllerStore.close();
    await store.close();
  }
}

/** The plinth git note on `commit` of the lab's cluster repository, or undefined while there is none. */
export async function readNote(repo: string, commit = 'HEAD'): Promise<string | undefined> {
  const shown = await runCommand('git', ['notes', '--ref=plinth', 'show', commit], { cwd: repo, timeoutMs: 10_000 });
  return shown.exitCode === 0 ? shown.stdout : undefined;
}

export async function readHead(repo: string): Promise<string> {
  const head = await runCommand('git', ['rev-parse', 'HEAD'], { cwd: repo, timeoutMs: 10_000 });
  if (head.exitCode !== 0) throw new Error(`git rev-parse HEAD failed in ${repo}: ${head.stderr.trim()}`);
  return head.stdout.trim();
}

/** The chassis-control calls a node's BMC made (`get power`, `set boot pxe`, `set power 1`, …), one per line. */
export async function readBmcCalls(nodeDir: string): Promise<string[]> {
  return (await readFile(join(nodeDir, 'calls.log'), 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');
}

/** `plinth status --data DIR` as text, with its exit code (1 while a node is failing). */
export async function runPlinthStatus(cliScript: string, dataDir: string): Promise<{ exitCode: number; text: string }> {
  const result = await runCommand(process.execPath, ['--import', 'tsx', cliScript, 'status', '--data', dataDir], { timeoutMs: 60_000 });
  return { exitCode: result.exitCode, text: result.stdout + result.stderr };
}

/** Polls `check` every `intervalMs` until it returns a value or `seconds` have passed (however long each check takes). */
export async function waitFor<T>(check: () => Promise<T | undefined>, seconds: number, intervalMs = 2000): Promise<T | undefined> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value !== undefined || Date.now() >= deadline) return value;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}

/** Seconds between two instants (ISO strings or epoch ms), one decimal. */
export function secondsBetween(from: string | number, to: string | number): number {
  return Math.round((new Date(to).getTime() - new Date(from).getTime()) / 100) / 10;
}
