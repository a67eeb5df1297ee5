import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normaliseReport } from '../reconciler/discovery/normalise.js';
import { buildSnapshot } from '../reconciler/inventory/build-snapshot.js';
import { classifyNodes } from '../reconciler/inventory/classify-nodes.js';
import { readSnapshot } from '../reconciler/inventory/read-snapshot.js';
import type { Inventory } from '../reconciler/inventory/types.js';
import { validateRepository } from '../reconciler/manifests/validate-repository.js';
import { median, timeWall } from './measure.js';

/**
 * `npm run bench:classify`: what `plinth nodes` spends deciding (matching every profile of the example
 * repository, placing by LLDP, comparing peers) next to what it spends only reading and schema-checking the
 * inventory snapshot of the same fleet. Machines are clones of real dumps (distinct serials, MACs, switch
 * ports; one in 50 with half its DIMMs). Rounds alternate between the sides and the median is kept.
 */
const MACHINES = Number(process.env.BENCH_MACHINES ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FIXTURES = ['dell/poweredge-r640/8885D8B6E2FE', 'dell/poweredge-r7525/ED52A1D54F9D', 'dell/poweredge-r650/AF241F438036', 'gigabyte-technology/g242-z11-00/B5251D581093'];
const SWITCHES = ['par1-a01-tor1', 'par1-a02-tor1', 'par1-b01-tor1', 'par1-b02-tor2', 'lab-unknown-1'];

function readModel(fixture: string): Inventory {
  const dir = join('tests/fixtures/hardware', fixture);
  const lspci = join(dir, 'lspci.txt');
  const sections = { dmidecode: readFileSync(join(dir, 'dmidecode.txt'), 'utf8'), ...(existsSync(lspci) ? { lspci: readFileSync(lspci, 'utf8') } : {}) };
  return normaliseReport({ version: 1, agent: { version: 'bench' }, collectedAt: '2026-01-01T00:00:00Z', sections }).inventory;
}

function cloneMachine(model: Inventory, index: number): Inventory {
  const inventory = structuredClone(model);
  const serial = `BN${String(index).padStart(6, '0')}`;
  const hex = (value: number) => value.toString(16).padStart(2, '0');
  inventory.system.serialNumber = serial;
  inventory.chassis.serialNumber = serial;
  inventory.identity = { id: serial, source: 'chassis-serial', placeholdersSkipped: [] };
  inventory.nics = [0, 1, 2, 3].map((port) => ({
    name: `eno${port + 1}`,
    mac: `02:60:${hex((index >> 16) & 0xff)}:${hex((index >> 8) & 0xff)}:${hex(index & 0xff)}:${hex(port)}`,
    speedMbps: 25000,
    link: true,
    lldp: { switchName: SWITCHES[index % SWITCHES.length] ?? '', portId: `Ethernet1/${(index % 48) + 1}` },
  }));
  // The GPU model's profile asks for NVMe; the others for SATA SSDs.
  const type = model.gpus.length > 0 ? ('nvme' as const) : ('ssd' as const);
  inventory.disks = [0, 1].map((disk) => ({ name: `disk${disk}`, path: `/dev/disk${disk}`, sizeBytes: 960e9, rotational: false, type, model: 'SSD', serial: `${serial}-${disk}`, wwn: '' }));
  if (index % 50 === 1) inventory.memory.dimms = inventory.memory.dimms.slice(0, Math.ceil(inventory.memory.dimms.length / 2));
  return inventory;
}

const validated = await validateRepository('cluster-repo-example');
if (!validated.desired) throw new Error('cluster-repo-example must be valid');
const desired = validated.desired;
const models = FIXTURES.map(readModel);
const inventories = Array.from({ length: MACHINES }, (_, index) => cloneMachine(models[index % models.length] as Inventory, index));
const snapshot = buildSnapshot(inventories.map((inventory) => ({ inventory })), '2026-01-01T00:00:00Z');
const scratch = await mkdtemp(join(tmpdir(), 'plinth-bench-classify-'));
try {
  const file = join(scratch, 'inventory.json');
  const text = JSON.stringify(snapshot);
  await writeFile(file, text);
  const readTimes: number[] = [];
  const classifyTimes: number[] = [];
  let states = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round += 1) {
    readTimes.push(await timeWall(() => readSnapshot(file)));
    classifyTimes.push(
      await timeWall(() => {
        const results = classifyNodes(desired, snapshot.nodes);
        states = new Map();
        for (const result of results) states.set(result.state, (states.get(result.state) ?? 0) + 1);
      }),
    );
  }
  const read = median(readTimes);
  const classify = median(classifyTimes);
  console.log(`fleet: ${MACHINES} machines (${(text.length / 1e6).toFixed(1)} MB snapshot), ${desired.profiles.size} profiles, ${desired.locations.size} locations; median of ${ROUNDS} rounds`);
  console.log(`outcome: ${[...states].map(([state, count]) => `${count} ${state}`).join(', ')}`);
  console.log(`classify (match + place + peer flags): ${classify.toFixed(0)} ms (${((classify / MACHINES) * 1000).toFixed(0)} µs per machine)`);
  console.log(`read + schema-check snapshot only:     ${read.toFixed(0)} ms`);
  console.log(`ratio classify / read:                 ${(classify / read).toFixed(2)}`);
} finally {
  await rm(scratch, { recursive: true, force: true });
}
