import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { normaliseReport } from '../../reconciler/discovery/normalise.js';
import { readReportDirectory } from '../../reconciler/discovery/read-report-dir.js';
import type { HardwareReport } from '../../reconciler/discovery/report-schema.js';
import { validateReport } from '../../reconciler/discovery/validate-report.js';
import { startReportReceiver, type ReportReceiver } from './report-receiver.js';

const AGENT = path.resolve('boot-assets/discovery-agent.sh');
const TOKEN = 'enrol-7f3a9c';
const FAST_RETRIES = { PLINTH_RETRY_BASE: '0.05', PLINTH_RETRY_MAX: '0.2' };

let scratch = '';
let receiver: ReportReceiver | undefined;

async function runAgent(args: string[], env: Record<string, string>, shell = '/bin/sh') {
  return execa(shell, [AGENT, ...args], { env: { PLINTH_CMDLINE: path.join(scratch, 'empty-cmdline'), ...env }, reject: false, timeout: 120_000 });
}

/** What this machine really has: MemTotal, and the MACs of the interfaces that sit on a bus. */
async function readMachineFacts(): Promise<{ memTotalBytes: number; macs: string[] }> {
  const meminfo = await readFile('/proc/meminfo', 'utf8');
  const memTotalBytes = Number(/^MemTotal:\s+(\d+) kB/m.exec(meminfo)?.[1]) * 1024;
  const names = (await readdir('/sys/class/net')).filter((name) => existsSync(`/sys/class/net/${name}/device`));
  const macs = await Promise.all(names.map(async (name) => (await readFile(`/sys/class/net/${name}/address`, 'utf8')).trim()));
  return { memTotalBytes, macs: macs.sort() };
}

function expectMachineFacts(report: HardwareReport, facts: { memTotalBytes: number; macs: string[] }): void {
  const { inventory } = normaliseReport(report);
  if (inventory.memory.dimms.length > 0) {
    expect(inventory.memory.totalBytes).toBe(inventory.memory.dimms.reduce((sum, dimm) => sum + dimm.sizeBytes, 0));
  } else {
    expect(inventory.memory.totalBytes).toBe(facts.memTotalBytes);
  }
  expect(inventory.nics.map((nic) => nic.mac).sort()).toEqual(facts.macs);
  expect(inventory.cpus.length).toBeGreaterThan(0);
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'plinth-agent-test-'));
  await writeFile(path.join(scratch, 'empty-cmdline'), 'console=ttyS0 quiet\n');
});

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('discovery-agent.sh on this Debian machine', () => {
  it('POSTs one report that validates against the schema and normalises to the machine facts', async () => {
    receiver = await startReportReceiver();
    const result = await runAgent([], { PLINTH_REPORT_URL: receiver.url, PLINTH_TOKEN: TOKEN });
    expect(result.exitCode).toBe(0);
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.contentType).toBe('application/json');
    expect(request?.contentEncoding).toBe('gzip');
    expect(request?.body).not.toContain(TOKEN);
    const report = JSON.parse(request?.body ?? '') as HardwareReport;
    expect(validateReport(report)).toEqual([]);
    expectMachineFacts(report, await readMachineFacts());
    const hostKeys = await execa('sh', ['-c', 'cat /etc/ssh/ssh_host_*_key.pub']);
    expect(report.sections.sshHostKeys).toEqual(hostKeys.stdout.split('\n').filter((line) => line !== ''));
  });

  it('takes the URL and token from the kernel command line', async () => {
    receiver = await startReportReceiver();
    const cmdline = path.join(scratch, 'cmdline');
    await writeFile(cmdline, `BOOT_IMAGE=/vmlinuz plinth.report_url=${receiver.url} plinth.token=${TOKEN} quiet\n`);
    const result = await runAgent([], { PLINTH_CMDLINE: cmdline });
    expect(result.exitCode).toBe(0);
    expect(receiver.received.map((request) => request.authorization)).toEqual([`Bearer ${TOKEN}`]);
  });

  it('retries with backoff when the controller fails twice, then gets the report through', async () => {
    receiver = await startReportReceiver([503, 500]);
    const result = await runAgent([], { PLINTH_REPORT_URL: receiver.url, ...FAST_RETRIES });
    expect(result.exitCode).toBe(0);
    expect(receiver.received).toHaveLength(3);
    expect(result.stderr).toContain('attempt 2 failed (HTTP 500)');
    expect(validateReport(JSON.parse(receiver.received[2]?.body ?? ''))).toEqual([]);
  });

  it('gives up after the bounded number of attempts', async () => {
    receiver = await startReportReceiver([503, 503, 503, 503]);
    const result = await runAgent([], { PLINTH_REPORT_URL: receiver.url, PLINTH_MAX_ATTEMPTS: '3', ...FAST_RETRIES });
    expect(result.exitCode).toBe(4);
    expect(receiver.received).toHaveLength(3);
  });

  it('does not retry a report the controller refuses for its identity', async () => {
    receiver = await startReportReceiver([409]);
    const result = await runAgent([], { PLINTH_REPORT_URL: receiver.url, ...FAST_RETRIES });
    expect(result.exitCode).toBe(3);
    expect(receiver.received).toHaveLength(1);
  });

  it('resends without the tools\' JSON sections when the controller cannot read the report', async () => {
    receiver = await startReportReceiver([400]);
    const result = await runAgent([], { PLINTH_REPORT_URL: receiver.url, ...FAST_RETRIES });
    expect(result.exitCode).toBe(0);
    const second = JSON.parse(receiver.received[1]?.body ?? '') as HardwareReport;
    expect(second.sections.lsblk).toBeUndefined();
    expect(second.sections.meminfo).toBeDefined();
    expect(validateReport(second)).toEqual([]);
    expectMachineFacts(second, await readMachineFacts());
  });

  it('resends the report uncompressed when the controller refuses gzip with 415', async () => {
    receiver = await startReportReceiver([415]);
    const result = await runAgent([], { PLINTH_REPORT_URL: receiver.url, ...FAST_RETRIES });
    expect(result.exitCode).toBe(0);
    expect(receiver.received.map((request) => request.contentEncoding)).toEqual(['gzip', undefined]);
    expect(receiver.received[1]?.body).toBe(receiver.received[0]?.body);
  });

  it('--dump writes the sections in the layout that report parse reads', async () => {
    const dump = path.join(scratch, 'dump');
    const result = await runAgent(['--dump', dump], {});
    expect(result.exitCode).toBe(0);
    expect(await readdir(dump)).toEqual(expect.arrayContaining(['meminfo.txt', 'cpuinfo.txt', 'efi.json']));
    const report = await readReportDirectory(dump, { agentVersion: 'test', collectedAt: '2026-01-01T00:00:00Z' });
    expectMachineFacts(report, await readMachineFacts());
  });

  it('works with busybox alone (wget, awk, sed), as in a minimal live system', async () => {
    const bin = path.join(scratch, 'busybox-bin');
    await execa('busybox', ['mkdir', '-p', bin]);
    await execa('busybox', ['--install', '-s', bin]);
    // util-linux's lsblk and lscpu print JSON and busybox has no such applets; busybox's own ip, which prints
    // no JSON, is kept, so the NICs must come from the agent's sysfs fallback.
    for (const tool of ['lsblk', 'lscpu']) {
      await rm(path.join(bin, tool), { force: true });
      const { stdout } = await execa('sh', ['-c', `command -v ${tool}`]);
      await symlink(stdout.trim(), path.join(bin, tool));
    }
    receiver = await startReportReceiver([503]);
    const result = await runAgent([], { PATH: bin, PLINTH_REPORT_URL: receiver.url, PLINTH_TOKEN: TOKEN, ...FAST_RETRIES }, path.join(bin, 'sh'));
    expect(result.exitCode).toBe(0);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(receiver.received[1]?.contentEncoding).toBeUndefined();
    const report = JSON.parse(receiver.received[1]?.body ?? '') as HardwareReport;
    expect(validateReport(report)).toEqual([]);
    expectMachineFacts(report, await readMachineFacts());
  });
});
