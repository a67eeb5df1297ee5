import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseHostLine, macFromHostFileName } from '../../reconciler/drivers/dhcp/host-file.js';
import type { HostnameIndex } from '../../reconciler/store/controller-types.js';
import type { IpAllocation, JournalEntry } from '../../reconciler/store/types.js';

/** Addresses held twice, or a node holding two addresses on one network; hostname indices likewise. */
export function findDoubleAllocations(allocations: readonly IpAllocation[], hostnames: readonly HostnameIndex[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const { network, address, nodeId } of allocations) {
    for (const key of [`address ${network}/${address}`, `node ${nodeId} on ${network}`]) {
      if (seen.has(key)) problems.push(`${key} allocated twice`);
      seen.set(key, nodeId);
    }
  }
  for (const { role, index, nodeId, hostname } of hostnames) {
    for (const key of [`index ${role}/${index}`, `node ${nodeId} in ${role}`, `hostname ${hostname}`]) {
      if (seen.has(key)) problems.push(`${key} held twice`);
      seen.set(key, nodeId);
    }
  }
  return problems;
}

/** Every reservation file and ENC must parse whole: atomic writes leave either the old or the new file. */
export async function findBrokenConfigFiles(hostsDir: string, encDir: string): Promise<string[]> {
  const problems: string[] = [];
  for (const name of await readdir(hostsDir).catch(() => [])) {
    if (macFromHostFileName(name) === undefined) continue;
    const lines = (await readFile(join(hostsDir, name), 'utf8')).split('\n').filter((line) => line.trim() !== '');
    if (lines.length !== 1 || lines.some((line) => parseHostLine(line) === undefined)) problems.push(`host file ${name} does not parse`);
  }
  for (const name of await readdir(encDir).catch(() => [])) {
    if (!name.endsWith('.yaml')) continue;
    const document = parse(await readFile(join(encDir, name), 'utf8')) as { classes?: unknown } | null;
    if (!document || typeof document.classes !== 'object') problems.push(`ENC ${name} is incomplete`);
  }
  return problems;
}

/**
 * Journal claims that must hold whatever the kill points: no step succeeded twice, a step that is not safe
 * to repeat started at most once, and every entry ended (succeeded, failed or interrupted).
 */
export function findJournalViolations(entries: readonly JournalEntry[], repeatable: (op: string) => boolean): string[] {
  const problems: string[] = [];
  const byStep = new Map<string, JournalEntry[]>();
  for (const entry of entries) byStep.set(entry.action, [...(byStep.get(entry.action) ?? []), entry]);
  for (const [step, group] of byStep) {
    const op = String(group[0]?.detail['op'] ?? '');
    if (group.filter((entry) => entry.state === 'succeeded').length > 1) problems.push(`${step} succeeded twice`);
    if (!repeatable(op) && group.filter((entry) => entry.startedAt !== undefined).length > 1) problems.push(`${step} started twice`);
    for (const entry of group) if (entry.state === 'planned' || entry.state === 'started') problems.push(`${step} left ${entry.state}`);
  }
  return problems;
}
