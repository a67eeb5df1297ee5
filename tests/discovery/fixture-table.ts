import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Reads the facts that tests/fixtures/hardware/README.md lists for each machine, from its "Machines" table
 * and its "Source path" table (which gives each machine's folder), so the tests assert what the fixtures'
 * documentation states rather than a second hand-copied list.
 */
export interface FixtureFacts {
  id: string;
  folder: string;
  model: string;
  baseboard: string;
  /** Populated sockets' models, one entry per socket. */
  cpuModels: string[];
  emptyCpuSockets: number;
  memoryGiB: number;
  dimms: number;
  hasLspci: boolean;
  /** GPUs the table lists: address (without PCI domain) and vendor:device id. */
  gpus: { address: string; id: string }[];
  /** Display devices the table marks as onboard or BMC VGA. */
  consoleDisplays: { address: string; id: string }[];
}

export const FIXTURE_ROOT = path.resolve('tests/fixtures/hardware');

function cells(line: string): string[] {
  return line.split('|').slice(1, -1).map((cell) => cell.trim());
}

function parseCpus(cell: string): { cpuModels: string[]; emptyCpuSockets: number } {
  const cpuModels: string[] = [];
  let emptyCpuSockets = 0;
  for (const part of cell.split(';').map((text) => text.trim())) {
    const counted = /^(.*) ×(\d+)$/.exec(part);
    const model = counted ? (counted[1] ?? '') : part;
    const count = counted ? Number(counted[2]) : 1;
    if (model === 'Not Specified') emptyCpuSockets += count;
    else for (let index = 0; index < count; index += 1) cpuModels.push(model);
  }
  return { cpuModels, emptyCpuSockets };
}

/** `18:00.0, 3b:00.0 3D controller [0302]: NVIDIA ... [10de:15f9] (rev a1) (3 GPUs); 03:00.0 VGA ... (onboard VGA)` */
function parseGpuLines(cell: string): Pick<FixtureFacts, 'gpus' | 'consoleDisplays'> {
  const gpus: FixtureFacts['gpus'] = [];
  const consoleDisplays: FixtureFacts['consoleDisplays'] = [];
  if (cell.startsWith('n/a')) return { gpus, consoleDisplays };
  for (const segment of cell.split(';').map((text) => text.trim())) {
    const addresses = /^((?:[0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7](?:, (?:[0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])*) /.exec(segment);
    const ids = [...segment.matchAll(/\[([0-9a-f]{4}:[0-9a-f]{4})\]/g)].map((match) => match[1] ?? '');
    if (!addresses || ids.length === 0) continue;
    const target = /\((onboard VGA|BMC VGA)/.test(segment) ? consoleDisplays : gpus;
    for (const address of (addresses[1] ?? '').split(', ')) target.push({ address, id: ids.at(-1) ?? '' });
  }
  return { gpus, consoleDisplays };
}

export async function readFixtureTable(): Promise<FixtureFacts[]> {
  const readme = await readFile(path.join(FIXTURE_ROOT, 'README.md'), 'utf8');
  const lines = readme.split('\n');
  const folders = new Map<string, string>();
  for (const line of lines) {
    const row = cells(line);
    const folder = /^`(.+)\/`$/.exec(row[1] ?? '');
    if (row.length === 4 && folder) folders.set(row[0] ?? '', folder[1] ?? '');
  }
  const facts: FixtureFacts[] = [];
  for (const line of lines) {
    const row = cells(line);
    if (row.length !== 10 || !/^\d+$/.test(row[0] ?? '')) continue;
    const memory = /^(\d+) GiB \((\d+) DIMMs\)$/.exec(row[7] ?? '');
    if (!memory) throw new Error(`unreadable memory cell in README row ${row[0]}`);
    const id = row[3] ?? '';
    facts.push({
      id,
      folder: folders.get(id) ?? '',
      model: row[2] ?? '',
      baseboard: row[4] ?? '',
      ...parseCpus(row[6] ?? ''),
      memoryGiB: Number(memory[1]),
      dimms: Number(memory[2]),
      hasLspci: (row[8] ?? '').startsWith('yes'),
      ...parseGpuLines(row[9] ?? ''),
    });
  }
  return facts;
}
