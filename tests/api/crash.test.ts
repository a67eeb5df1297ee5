import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildHardwareReport, listHardwareFixtures, macsFor } from '../support/hardware-report.js';

const here = dirname(fileURLToPath(import.meta.url));
const TOTAL = 300;
const KILL_AFTER_ACKS = 40;

let dir: string;
let server: ChildProcess | undefined;

function startReportServer(databasePath: string): Promise<{ process: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, '..', 'support', 'report-server.ts'), databasePath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\S+)/.exec(output);
      if (match?.[1]) resolve({ process: child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`report server exited with ${code} before listening`)));
  });
}

interface Ack {
  reportId: number;
  nodeId: string;
}

/** POSTs one report; resolves with the acknowledgement, or undefined if the connection died first. */
function post(url: string, agent: Agent, body: Buffer, gzipped: boolean): Promise<Ack | undefined> {
  const headers = { 'content-type': 'application/json', 'content-length': body.byteLength, ...(gzipped ? { 'content-encoding': 'gzip' } : {}) };
  return new Promise((resolve) => {
    const req = request(`${url}/v1/reports`, { method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => {
        if (res.statusCode !== 202) return resolve(undefined);
        const parsed = JSON.parse(text) as { reportId: number; node: { id: string } };
        resolve({ reportId: parsed.reportId, nodeId: parsed.node.id });
      });
      res.on('error', () => resolve(undefined));
    });
    req.on('error', () => resolve(undefined));
    req.end(body);
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'plinth-crash-'));
});

afterAll(() => {
  if (server?.exitCode === null) server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('report API crash safety', () => {
  it('keeps every acknowledged report when the server is killed mid-stream, and the database stays intact', async () => {
    const databasePath = join(dir, 'plinth.db');
    const started = await startReportServer(databasePath);
    server = started.process;
    const exited = new Promise((resolve) => started.process.once('exit', resolve));
    const fixtures = listHardwareFixtures();
    const bodies = Array.from({ length: TOTAL }, (_, index) =>
      Buffer.from(JSON.stringify(buildHardwareReport({ fixture: fixtures[index % fixtures.length] ?? '', serial: `CRASH${String(index).padStart(4, '0')}`, macs: macsFor(index + 1) }))),
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const acks: Ack[] = [];
    // Every other report arrives gzipped, as the agent sends it, and is stored as those very bytes.
    const outcomes = bodies.map((body, index) =>
      post(started.url, agent, index % 2 === 1 ? gzipSync(body) : body, index % 2 === 1).then((ack) => {
        if (!ack) return;
        acks.push(ack);
        if (acks.length === KILL_AFTER_ACKS) started.process.kill('SIGKILL');
      }),
    );
    await Promise.all(outcomes);
    await exited;
    agent.destroy();

    expect(acks.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(acks.length).toBeLessThan(TOTAL);
    const db = new Database(databasePath);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = db.prepare<[number], { node_id: string; raw_gzip: Buffer }>('SELECT node_id, raw_gzip FROM reports WHERE id = ?');
      const sent = (nodeId: string) => bodies[Number(nodeId.slice('CRASH'.length))];
      const missing = acks.filter((ack) => {
        const row = stored.get(ack.reportId);
        return row?.node_id !== ack.nodeId || !gunzipSync(row.raw_gzip).equals(sent(ack.nodeId) ?? Buffer.alloc(0));
      });
      expect(missing).toEqual([]);
    } finally {
      db.close();
    }
  });
});
