import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readLabState, type LabState } from './lab-state.js';
import { stopProcess } from './processes.js';
import { deleteProvisioningNetwork } from './provisioning-network.js';

export interface DownReport {
  stoppedPids: number[];
  namespace?: string;
  removedDir?: string;
}

/** Stops the VMs the BMC hooks started: their PIDs are in each node folder, QEMU's program name on record. */
async function stopVirtualMachines(state: LabState, stopped: number[]): Promise<void> {
  for (const dir of state.nodeDirs) {
    const text = await readFile(join(dir, 'qemu.pid'), 'utf8').catch(() => '');
    const pid = Number(text.trim());
    if (Number.isInteger(pid) && pid > 1 && (await stopProcess(pid, 'qemu-system-x86_64'))) stopped.push(pid);
  }
}

/**
 * Removes everything `up` recorded in the state file: VMs first (they hold the taps), then the BMCs, dnsmasq and
 * the API server by PID, then the namespace (bridge and taps go with it), then the lab folder and the state file.
 * Safe to run twice, and after a failed `up`.
 */
export async function bringLabDown(statePath: string): Promise<DownReport | undefined> {
  const state = await readLabState(statePath);
  if (!state) return undefined;
  const stoppedPids: number[] = [];
  await stopVirtualMachines(state, stoppedPids);
  for (const entry of [...state.processes].reverse()) {
    if (await stopProcess(entry.pid, entry.program)) stoppedPids.push(entry.pid);
  }
  // A BMC hook may have started a VM while its BMC was stopping.
  await stopVirtualMachines(state, stoppedPids);
  await deleteProvisioningNetwork(state.namespace);
  await rm(state.dir, { recursive: true, force: true });
  await rm(statePath, { force: true });
  return { stoppedPids, namespace: state.namespace, removedDir: state.dir };
}
