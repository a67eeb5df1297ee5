import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { signWebhookBody } from '../../reconciler/source/webhook-auth.js';
import type { ControllerStatus } from '../../reconciler/controller/read-status.js';
import { readJournal as readStoredJournal } from '../../lab/lab-progress.js';
import type { JournalEntry } from '../../reconciler/store/types.js';
import { readState } from '../support/ipmi-sim.js';
import { buildHardwareReport } from '../support/hardware-report.js';

export interface ReportingMachine {
  serial: string;
  fixture: string;
  macs: string[];
  statePath: string;
}

/** POSTs a machine's hardware report as its discovery agent would; resolves with the HTTP status. */
export async function postReport(baseUrl: string, machine: Pick<ReportingMachine, 'serial' | 'fixture' | 'macs'>): Promise<number> {
  const body = JSON.stringify(buildHardwareReport({ fixture: machine.fixture, serial: machine.serial, macs: machine.macs }));
  const response = await fetch(`${baseUrl}/v1/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  await response.arrayBuffer();
  return response.status;
}

/** Sends a signed GitHub-style push hook for `main`. */
export async function sendPushHook(baseUrl: string, secret: string): Promise<number> {
  const body = JSON.stringify({ ref: 'refs/heads/main' });
  const response = await fetch(`${baseUrl}/v1/hooks/git`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': signWebhookBody(secret, body) },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

export async function readControllerStatus(baseUrl: string): Promise<ControllerStatus> {
  const response = await fetch(`${baseUrl}/v1/status`);
  return (await response.json()) as ControllerStatus;
}

/** Polls /v1/status until `revision` is the last attempted one and has finished (applied or invalid). */
export async function waitForRevision(baseUrl: string, revision: string, rounds = 900): Promise<ControllerStatus> {
  let status = await readControllerStatus(baseUrl);
  for (let round = 0; round < rounds; round += 1) {
    const attempted = status.lastAttempted;
    if (attempted?.revision === revision && (attempted.phase === 'applied' || attempted.phase === 'invalid')) return status;
    await sleep(200);
    status = await readControllerStatus(baseUrl);
  }
  throw new Error(`revision ${revision} not finished; status: ${JSON.stringify(status)}`);
}

function countPowerCalls(calls: readonly string[]): number {
  return calls.filter((call) => call.startsWith('set power') || call.startsWith('set reset')).length;
}

/**
 * Plays the machines' side of a boot: whenever a simulated BMC receives a power command, the machine
 * "boots into the deploy environment" and its agent posts a report again. Stops when `stop()` is called.
 */
export function answerBoots(baseUrl: () => string, machines: readonly ReportingMachine[]): { stop(): Promise<void> } {
  let running = true;
  const seen = new Map<string, number>();
  const loop = (async () => {
    for (const machine of machines) seen.set(machine.serial, countPowerCalls((await readState(machine.statePath)).calls));
    while (running) {
      for (const machine of machines) {
        const count = countPowerCalls((await readState(machine.statePath)).calls);
        // A controller being restarted refuses connections: the machine keeps trying, as the agent does.
        if (count > (seen.get(machine.serial) ?? 0) && (await postReport(baseUrl(), machine).catch(() => 0)) === 202) seen.set(machine.serial, count);
      }
      await sleep(150);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** The journal (of `revision`, else all of it) as the controller under `dataDir` recorded it, read through its own store. */
export function readJournal(dataDir: string, revision?: string): Promise<JournalEntry[]> {
  return readStoredJournal(join(dataDir, 'plinth.db'), revision);
}

/**
 * Reads that journal every 100 ms (for up to 30 s) until `done` holds for what it read; returns the last read
 * (the caller's assertions then say what was missing).
 */
export async function waitForJournal(dataDir: string, done: (entries: readonly JournalEntry[]) => boolean, revision?: string): Promise<JournalEntry[]> {
  let entries = await readJournal(dataDir, revision);
  for (let round = 0; round < 300 && !done(entries); round += 1) {
    await sleep(100);
    entries = await readJournal(dataDir, revision);
  }
  return entries;
}
