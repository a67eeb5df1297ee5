/**
 * Boot serving: plinth's boot routes (@hono/node-server) against nginx (one worker, sendfile) on loopback, one run:
 *   (1) a 200 MB boot asset fetched repeatedly with wrk: MB/s and server CPU seconds per GB on each side, and
 *       plinth/nginx (goal >= 0.8). plinth is measured twice: writing the file straight into the node response
 *       with reused buffers (what it does under @hono/node-server) and through a web ReadableStream (the generic
 *       Response body path), to show the choice;
 *   (2) per-MAC iPXE scripts, wrk with a Lua script that varies the MAC: requests/s for plinth (goal >= 10,000/s),
 *       next to nginx serving one pre-rendered script file (a static ceiling).
 * Rounds alternate between the servers so that load from other processes on the machine falls on every side.
 * Usage: npx tsx bench/boot-serving.ts [SECONDS_PER_RUN] [ROUNDS]
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../reconciler/lib/command.js';
import { readCpuSeconds, startNginx, startPlinth, stopPeer, type Peer } from './boot-serving-peers.js';

const SECONDS = Number(process.argv[2] ?? 5);
const ROUNDS = Number(process.argv[3] ?? 3);
const ASSET_MB = 200;
const NODES = 10_000;

// Half the MACs are known nodes in various states, half unknown (discovery); each gets its own token.
// wrk.format sends no Host header unless given one, and node answers HTTP/1.1 requests without it with 400.
const MAC_SCRIPT = `
local counter = 0
local headers = { Host = "127.0.0.1" }
request = function()
  counter = counter + 1
  local n = counter % ${NODES * 2}
  return wrk.format("GET", string.format("/boot/52-54-00-%02x-%02x-%02x.ipxe", math.floor(n / 65536), math.floor(n / 256) % 256, n % 256), headers)
end
`;

interface Measure {
  requestsPerSecond: number;
  megabytesPerSecond: number;
  cpuSecondsPerGigabyte: number;
  cpuMicrosecondsPerRequest: number;
  errors: number;
}

async function runWrk(peer: Peer, path: string, connections: number, script?: string): Promise<Measure> {
  const args = ['-t1', `-c${connections}`, `-d${SECONDS}s`, '--timeout', '30s', ...(script ? ['-s', script] : []), `http://127.0.0.1:${peer.port}${path}`];
  const pid = peer.process.pid ?? 0;
  const cpuBefore = await readCpuSeconds(pid);
  const { stdout, exitCode, stderr } = await runCommand('wrk', args, { timeoutMs: (SECONDS + 60) * 1000 });
  const cpu = (await readCpuSeconds(pid)) - cpuBefore;
  if (exitCode !== 0) throw new Error(`wrk failed: ${stderr}`);
  const total = /(\d+) requests in ([\d.]+)(m?s), ([\d.]+)([KMGT]?B) read/.exec(stdout);
  if (!total) throw new Error(`unexpected wrk output: ${stdout}`);
  const seconds = Number(total[2]) / (total[3] === 'ms' ? 1000 : 1);
  const unit = { B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40 }[total[5] ?? 'B'] ?? 1;
  const bytes = Number(total[4]) * unit;
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout)?.slice(1) ?? [];
  const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0) + socketErrors.reduce((sum, value) => sum + Number(value), 0);
  return {
    requestsPerSecond: Number(total[1]) / seconds,
    megabytesPerSecond: bytes / 2 ** 20 / seconds,
    cpuSecondsPerGigabyte: cpu / (bytes / 2 ** 30),
    cpuMicrosecondsPerRequest: (cpu * 1e6) / Number(total[1]),
    errors,
  };
}

async function writeAsset(path: string): Promise<void> {
  const chunk = randomBytes(1024 * 1024);
  const handle = await open(path, 'w', 0o644);
  for (let index = 0; index < ASSET_MB; index += 1) await handle.write(chunk);
  await handle.close();
}

async function prepare(dir: string): Promise<void> {
  // nginx workers run as nobody: everything they serve must be readable by others.
  await chmod(dir, 0o755);
  await mkdir(join(dir, 'assets'), { mode: 0o755 });
  await mkdir(join(dir, 'scripts'), { mode: 0o755 });
  await writeAsset(join(dir, 'assets', 'big.img'));
  await writeFile(join(dir, 'macs.lua'), MAC_SCRIPT);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const format = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-bench-boot-'));
  const peers: Peer[] = [];
  try {
    await prepare(dir);
    const plinth = await startPlinth(join(dir, 'assets'), NODES, 'pipe');
    peers.push(plinth);
    const plinthStream = await startPlinth(join(dir, 'assets'), NODES, 'web-stream');
    peers.push(plinthStream);
    // nginx's side of (2) serves a script plinth rendered, so both answer with the same bytes.
    const sample = await (await fetch(`http://127.0.0.1:${plinth.port}/boot/52-54-00-00-00-00.ipxe`)).text();
    await writeFile(join(dir, 'scripts', 'node.ipxe'), sample, { mode: 0o644 });
    const nginx = await startNginx(dir);
    peers.push(nginx);

    const results: Record<string, Measure[]> = {};
    const record = (key: string, measure: Measure) => (results[key] ??= []).push(measure);
    const assetPath = '/boot/assets/big.img';
    const scriptPath = '/boot/52-54-00-aa-00-01.ipxe';
    for (let round = 0; round < ROUNDS; round += 1) {
      record('nginxFile', await runWrk(nginx, assetPath, 2));
      record('plinthFile', await runWrk(plinth, assetPath, 2));
      record('plinthStreamFile', await runWrk(plinthStream, assetPath, 2));
      record('nginxScript', await runWrk(nginx, scriptPath, 32, join(dir, 'macs.lua')));
      record('plinthScript', await runWrk(plinth, scriptPath, 32, join(dir, 'macs.lua')));
    }
    report(results);
  } finally {
    for (const peer of peers) await stopPeer(peer);
    await rm(dir, { recursive: true, force: true });
  }
}

function report(results: Record<string, Measure[]>): void {
  const pick = (key: string, field: keyof Measure) => median((results[key] ?? []).map((measure) => measure[field]));
  const mb = (key: string) => pick(key, 'megabytesPerSecond');
  const cpu = (key: string) => pick(key, 'cpuSecondsPerGigabyte');
  const rps = (key: string) => pick(key, 'requestsPerSecond');
  const perRequest = (key: string) =>
    `${format(pick(key, 'cpuMicrosecondsPerRequest'))} CPU us/request (${format(1e6 / pick(key, 'cpuMicrosecondsPerRequest'))} req/s per core)`;
  const errors = Object.values(results).flat().reduce((sum, measure) => sum + measure.errors, 0);
  const line = (label: string, key: string) =>
    `    ${label.padEnd(27)}${format(mb(key)).padStart(6)} MB/s  ratio ${(mb(key) / mb('nginxFile')).toFixed(2)}   ` +
    `${format(cpu(key), 2)} CPU s/GB  ratio ${(cpu(key) / cpu('nginxFile')).toFixed(2)}`;
  console.log(`boot serving on loopback: wrk -t1, ${SECONDS} s per run, median of ${ROUNDS} alternating rounds`);
  console.log(`(1) ${ASSET_MB} MB asset, 2 connections (throughput ratio = plinth/nginx, goal >= 0.8; CPU ratio = cost per byte)`);
  console.log(line('nginx (1 worker, sendfile)', 'nginxFile'));
  console.log(line('plinth (direct to response)', 'plinthFile'));
  console.log(line('plinth (web stream body)', 'plinthStreamFile'));
  console.log(`(2) per-MAC iPXE scripts, ${format(NODES)} known nodes + as many unknown MACs, 32 connections`);
  console.log(`    nginx (one static file)    ${format(rps('nginxScript')).padStart(7)} req/s   ${perRequest('nginxScript')}`);
  console.log(`    plinth (rendered per MAC)  ${format(rps('plinthScript')).padStart(7)} req/s   ${perRequest('plinthScript')}`);
  console.log(`    ratio plinth/nginx ${(rps('plinthScript') / rps('nginxScript')).toFixed(2)}; goal >= 10,000 req/s`);
  console.log(`errors (non-2xx or socket): ${errors}`);
}

await main();
