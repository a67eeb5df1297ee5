/**
 * Report API benchmark: 1,000 concurrent POSTs of realistic hardware reports (real dmidecode/lspci dumps,
 * a distinct serial and MACs each) against plinth's server (schema validation, normalisation, durable
 * group-committed SQLite writes, the WAL fsynced before each 202) and against a bare node:http server that only reads
 * and discards the same bodies. Both servers run as child processes; the client runs here, in its own
 * process, and its CPU per report is printed too, since on a small machine it competes for the same cores.
 *
 * Bodies are sent gzip-compressed (`Content-Encoding: gzip`, gzip's default level), as the discovery agent
 * sends them when curl is there, to BOTH servers; `--encoding identity` sends plain JSON to both instead.
 *
 * Run: npx tsx bench/report-api.ts [--rounds N] [--count N] [--concurrency N] [--workers N] [--encoding gzip|identity]
 *        [--profile DIR]   (V8 CPU profiles of the plinth server's threads, written to DIR when it stops)
 *      npx tsx bench/report-api.ts --stages   (CPU per report of each analysis stage, on one thread)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../reconciler/api/app.js';
import { analyseReport, createReportAnalysisPool } from '../reconciler/api/report-analysis.js';
import type { ReportBodyCoding } from '../reconciler/api/report-analysis-body.js';
import { DMI_INVENTORY_SELECTION } from '../reconciler/discovery/dmi-inventory.js';
import { parseDmidecode } from '../reconciler/discovery/parse/dmidecode.js';
import { DEFAULT_LISTEN_BACKLOG, startServer } from '../reconciler/api/server.js';
import { silentLogger } from '../reconciler/lib/logger.js';
import { encodeReport } from '../reconciler/store/sqlite/encode-report.js';
import { SqliteStore } from '../reconciler/store/sqlite/sqlite-store.js';
import { buildHardwareReport, listHardwareFixtures, macsFor } from '../tests/support/hardware-report.js';
import { median } from './measure.js';

/**
 * `floor` is the least any server that validates a report must do: read the body, inflate it when it came
 * gzipped, and JSON.parse it, on its event loop, then discard it. No schema, no normalisation, no storage.
 */
type Side = 'plinth' | 'bare' | 'floor';
type Encoding = 'gzip' | 'identity';

/** Worker threads parsing, validating and compressing reports in the plinth server: one per core. */
const DEFAULT_WORKERS = availableParallelism();

async function serve(side: Side, databasePath: string, workers: number): Promise<void> {
  // A clean exit lets `node --cpu-prof` write its profile when the driver stops this server.
  process.once('SIGTERM', () => process.exit(0));
  if (side === 'plinth') {
    const store = SqliteStore.open(databasePath);
    const analysis = createReportAnalysisPool(workers);
    const app = createApp({ store, log: silentLogger(), analyseReport: analysis.analyse, reports: { rateLimit: false } });
    const server = await startServer(app, { host: '127.0.0.1', port: 0 });
    process.stdout.write(`listening ${server.url}\n`);
    return;
  }
  const server =
    side === 'bare'
      ? createServer((req, res) => {
          req.on('data', () => undefined);
          req.on('end', () => res.writeHead(202, { 'content-type': 'application/json' }).end('{}'));
        })
      : createServer((req, res) => {
          const chunks: Buffer[] = [];
          req.on('data', (chunk: Buffer) => chunks.push(chunk));
          req.on('end', () => {
            const body = Buffer.concat(chunks);
            const json = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
            JSON.parse(json.toString('utf8'));
            res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
          });
        });
  // The same listen queue as plinth's server (`startServer`), so no side loses handshakes the others keep.
  server.listen({ host: '127.0.0.1', port: 0, backlog: DEFAULT_LISTEN_BACKLOG }, () => process.stdout.write(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
}

function startSide(side: Side, databasePath: string, workers: number, profileDir?: string): Promise<{ child: ChildProcess; url: string }> {
  // V8's CPU profile of every thread of the plinth server (main and workers), written when it exits.
  const profile = profileDir && side === 'plinth' ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const args = [...profile, '--import', 'tsx', fileURLToPath(import.meta.url), '--serve', side, '--db', databasePath, '--workers', String(workers)];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\S+)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`${side} server exited with ${code}`)));
  });
}

function postOnce(url: string, agent: Agent, body: Buffer, encoding: Encoding): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const headers = { 'content-type': 'application/json', 'content-length': body.byteLength, ...(encoding === 'gzip' ? { 'content-encoding': 'gzip' } : {}) };
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/reports`, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface RoundResult {
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
  /** CPU time the server process used per report (all its threads): unlike throughput, not skewed by other load. */
  cpuMsPerReport: number;
  /** The part of it spent on the server's main thread, the one thread every request passes through. */
  eventLoopMsPerReport: number;
  /** CPU time this load generator used per report: it shares the two cores with the server under test. */
  clientMsPerReport: number;
  /**
   * Handshakes the kernel dropped because a listen queue was full (`ListenDrops` in /proc/net/netstat, all
   * sockets of the machine): each costs its client a 1 s SYN retransmission, which swamps any server's speed.
   */
  listenDrops: number;
}

/** The machine's count of connections dropped at a full listen queue. */
function listenDrops(): number {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((line) => line.startsWith('TcpExt:'));
  const names = lines[0]?.split(' ') ?? [];
  const counts = lines[1]?.split(' ') ?? [];
  return Number(counts[names.indexOf('ListenDrops')] ?? NaN);
}

/** User + system CPU milliseconds from a /proc stat file (clock ticks are 100 Hz on Linux). */
function statCpuMs(path: string): number {
  const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU of a whole process, and of its main thread alone (the event loop: its task id is the process id). */
function processCpuMs(pid: number | undefined): { total: number; eventLoop: number } {
  return { total: statCpuMs(`/proc/${pid}/stat`), eventLoop: statCpuMs(`/proc/${pid}/task/${pid}/stat`) };
}

/** Sends every body at once (up to `concurrency` sockets) and measures throughput and latency. */
async function runRound(server: { url: string; child: ChildProcess }, bodies: readonly Buffer[], concurrency: number, encoding: Encoding): Promise<RoundResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const dropsBefore = listenDrops();
  const cpuBefore = processCpuMs(server.child.pid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const results = await Promise.all(bodies.map((body) => postOnce(server.url, agent, body, encoding)));
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  const cpuAfter = processCpuMs(server.child.pid);
  agent.destroy();
  const latencies = results.map((result) => result.ms).sort((a, b) => a - b);
  const at = (quantile: number) => latencies[Math.min(latencies.length - 1, Math.floor(quantile * latencies.length))] ?? NaN;
  return {
    perSecond: bodies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    failures: results.filter((result) => result.status !== 202).length,
    cpuMsPerReport: (cpuAfter.total - cpuBefore.total) / bodies.length,
    eventLoopMsPerReport: (cpuAfter.eventLoop - cpuBefore.eventLoop) / bodies.length,
    clientMsPerReport: (client.user + client.system) / 1000 / bodies.length,
    listenDrops: listenDrops() - dropsBefore,
  };
}

function buildBodies(count: number, offset: number, encoding: Encoding = 'identity'): Buffer[] {
  const fixtures = listHardwareFixtures();
  return Array.from({ length: count }, (_, index) => {
    const n = offset + index;
    const report = buildHardwareReport({ fixture: fixtures[n % fixtures.length] ?? '', serial: `BENCH${String(n).padStart(6, '0')}`, macs: macsFor(n + 1), bmcMac: macsFor(n + 1, 3)[2] });
    const json = Buffer.from(JSON.stringify(report));
    // What the agent's `gzip` makes: the default level, 6.
    return encoding === 'gzip' ? gzipSync(json) : json;
  });
}

const SIDES: readonly Side[] = ['bare', 'floor', 'plinth'];
const LABELS: Record<Side, string> = { bare: 'bare node:http   ', floor: 'floor (parse)    ', plinth: 'plinth           ' };

const format = (result: RoundResult) =>
  `${result.perSecond.toFixed(0).padStart(6)} reports/s   p50 ${result.p50.toFixed(0).padStart(5)} ms   p99 ${result.p99.toFixed(0).padStart(5)} ms   ` +
  `server CPU ${result.cpuMsPerReport.toFixed(2)} ms/report (event loop ${result.eventLoopMsPerReport.toFixed(2)})   ` +
  `client CPU ${result.clientMsPerReport.toFixed(2)} ms/report   non-202: ${result.failures}   listen drops: ${result.listenDrops}`;

interface MeasureOptions {
  rounds: number;
  count: number;
  concurrency: number;
  workers: number;
  encoding: Encoding;
  profileDir?: string;
}

async function measure({ rounds, count, concurrency, workers, encoding, profileDir }: MeasureOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-'));
  const children: ChildProcess[] = [];
  try {
    // One whole round first: the controller is a long-running process, and V8 is still compiling its hot
    // paths (on helper threads, which count as server CPU) for the first thousand reports or so.
    const warmup = buildBodies(count, 0, encoding);
    const roundBodies = Array.from({ length: rounds }, (_, round) => buildBodies(count, (round + 1) * count, encoding));
    const sizes = roundBodies.flat().map((body) => body.byteLength);
    const mean = (values: number[]) => (values.reduce((a, b) => a + b, 0) / values.length).toFixed(0);
    const jsonSizes = encoding === 'gzip' ? ` (JSON mean ${mean(roundBodies.flat().map((body) => gunzipSync(body).byteLength))})` : '';
    console.log(`${count} concurrent POSTs per round, ${rounds} rounds, ${workers} analysis workers, bodies sent to BOTH servers with content-encoding ${encoding}`);
    console.log(`body on the wire ${Math.min(...sizes)}–${Math.max(...sizes)} bytes (mean ${mean(sizes)})${jsonSizes}`);
    const results: Record<Side, RoundResult>[] = [];
    const sides = {
      bare: await startSide('bare', join(dir, 'unused.db'), 0),
      floor: await startSide('floor', join(dir, 'unused.db'), 0),
      plinth: await startSide('plinth', join(dir, 'plinth.db'), workers, profileDir),
    };
    children.push(sides.plinth.child, sides.bare.child, sides.floor.child);
    for (const side of SIDES) await runRound(sides[side], warmup, concurrency, encoding);
    for (const [round, bodies] of roundBodies.entries()) {
      const result = {} as Record<Side, RoundResult>;
      // Back to back, in the same order each round, so a change of background load hits all sides alike.
      for (const side of SIDES) result[side] = await runRound(sides[side], bodies, concurrency, encoding);
      results.push(result);
      console.log(`round ${round + 1}`);
      for (const side of SIDES) console.log(`  ${LABELS[side]}${format(result[side])}`);
      console.log(`  ratio to bare (reports/s): plinth ${(result.plinth.perSecond / result.bare.perSecond).toFixed(2)}, floor ${(result.floor.perSecond / result.bare.perSecond).toFixed(2)}`);
    }
    const pick = (side: Side, field: keyof RoundResult) => median(results.map((result) => result[side][field]));
    const ratio = (side: Side) => median(results.map((result) => result[side].perSecond / result.bare.perSecond)).toFixed(2);
    console.log(`median of ${rounds} rounds`);
    for (const side of SIDES) {
      console.log(
        `  ${side.padEnd(6)} ${pick(side, 'perSecond').toFixed(0)} reports/s, p99 ${pick(side, 'p99').toFixed(0)} ms, ` +
          `server CPU ${pick(side, 'cpuMsPerReport').toFixed(2)} ms/report (event loop ${pick(side, 'eventLoopMsPerReport').toFixed(2)}), ` +
          `client CPU ${pick(side, 'clientMsPerReport').toFixed(2)} ms/report`,
      );
    }
    console.log(`  ratio plinth/bare: reports/s ${ratio('plinth')} (goal >= 0.5), server CPU per report ${(pick('plinth', 'cpuMsPerReport') / pick('bare', 'cpuMsPerReport')).toFixed(1)}x`);
    console.log(`  ratio floor/bare:  reports/s ${ratio('floor')} (inflate + JSON.parse only: the most any validating server could reach here)`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * CPU per report of each stage a worker runs, over one report per real dump (median of 7 rounds): the
 * figures that bound throughput on a small machine, steadier under other load than requests per second.
 */
function measureStages(): void {
  const bodies = buildBodies(listHardwareFixtures().length, 0);
  const gzipped = bodies.map((body) => gzipSync(body));
  const gzip: ReportBodyCoding = { kind: 'gzip', inflatedLimitBytes: 2 * 1024 * 1024 };
  const reports = bodies.map((body) => JSON.parse(body.toString()) as { sections: { dmidecode?: string } });
  const accepted = bodies.map((body) => analyseReport(body)).map((analysis) => (analysis.kind === 'accepted' ? analysis.inventory : undefined));
  const stages: [string, (index: number) => unknown][] = [
    ['whole analysis, as a worker runs it', (index) => analyseReport(bodies[index] ?? Buffer.alloc(0), { encodeForStorage: true })],
    ['  without encoding (JSON, schema, normalise)', (index) => analyseReport(bodies[index] ?? Buffer.alloc(0))],
    ['    of which UTF-8 decoding + JSON.parse', (index) => JSON.parse(bodies[index]?.toString() ?? '')],
    ['whole analysis of a gzip body, as a worker runs it', (index) => analyseReport(gzipped[index] ?? Buffer.alloc(0), { encodeForStorage: true }, gzip)],
    ['  of which inflating the body', (index) => gunzipSync(gzipped[index] ?? Buffer.alloc(0))],
    ['  encode: gzip -1, SHA-256, inventory JSON', (index) => encodeReport(bodies[index] ?? Buffer.alloc(0), accepted[index])],
    ['dmidecode, inventory selection', (index) => parseDmidecode(reports[index]?.sections.dmidecode ?? '', DMI_INVENTORY_SELECTION)],
    ['dmidecode, every structure and field', (index) => parseDmidecode(reports[index]?.sections.dmidecode ?? '')],
  ];
  const samples = new Map<string, number[]>();
  for (let round = 0; round < 7; round++) {
    for (const [name, run] of stages) {
      const before = process.cpuUsage();
      for (let repeat = 0; repeat < 5; repeat++) bodies.forEach((_, index) => run(index));
      const used = process.cpuUsage(before);
      samples.set(name, [...(samples.get(name) ?? []), (used.user + used.system) / 1000 / (5 * bodies.length)]);
    }
  }
  console.log(`CPU per report over ${bodies.length} reports (one per real dump), median of 7 rounds:`);
  for (const [name, values] of samples) console.log(`  ${name.padEnd(52)} ${median(values).toFixed(3)} ms`);
}

const { values } = parseArgs({
  options: {
    serve: { type: 'string' },
    db: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    count: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '1000' },
    workers: { type: 'string', default: String(DEFAULT_WORKERS) },
    encoding: { type: 'string', default: 'gzip' },
    profile: { type: 'string' },
    stages: { type: 'boolean', default: false },
  },
});
const workers = Number(values.workers);
if (values.serve === 'plinth' || values.serve === 'bare' || values.serve === 'floor') await serve(values.serve, values.db ?? ':memory:', workers);
else if (values.stages) measureStages();
else if (values.encoding !== 'gzip' && values.encoding !== 'identity') throw new Error('--encoding must be gzip or identity');
else {
  const { rounds, count, concurrency, encoding, profile } = values;
  await measure({ rounds: Number(rounds), count: Number(count), concurrency: Number(concurrency), workers, encoding, ...(profile ? { profileDir: profile } : {}) });
}
