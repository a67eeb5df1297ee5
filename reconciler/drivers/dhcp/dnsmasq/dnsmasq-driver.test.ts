import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DhcpDriver } from '../types.js';
import { createDnsmasqDriver } from './dnsmasq-driver.js';
import { loadDnsmasqTemplate } from './template.js';
import { buildTestSettings } from '../../../../tests/support/dnsmasq-settings.js';

const node = { mac: '52:54:00:AA:00:01', ip: '10.250.0.50', hostname: 'node1' };

describe('dnsmasq driver reservations', () => {
  let dir: string;
  let driver: DhcpDriver;
  let signals: [number, string][];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-dhcp-'));
    await mkdir(join(dir, 'hosts.d'));
    await mkdir(join(dir, 'staging'));
    signals = [];
    const signalProcess = (pid: number, signal: string) => void signals.push([pid, signal]);
    driver = createDnsmasqDriver({ settings: buildTestSettings(dir), template: await loadDnsmasqTemplate(), signalProcess });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one file named after the MAC, and nothing else in the watched folder', async () => {
    expect(await driver.ensureHost(node)).toEqual({ changed: true });

    expect(await readdir(join(dir, 'hosts.d'))).toEqual(['52-54-00-aa-00-01']);
    expect(await readFile(join(dir, 'hosts.d', '52-54-00-aa-00-01'), 'utf8')).toBe('52:54:00:aa:00:01,10.250.0.50,node1\n');
    expect(await readdir(join(dir, 'staging'))).toEqual([]);
  });

  it('leaves an unchanged reservation alone', async () => {
    await driver.ensureHost(node);
    const before = await stat(join(dir, 'hosts.d', '52-54-00-aa-00-01'));

    expect(await driver.ensureHost({ ...node, mac: '52-54-00-aa-00-01' })).toEqual({ changed: false });
    expect((await stat(join(dir, 'hosts.d', '52-54-00-aa-00-01'))).ino).toBe(before.ino);
  });

  it('reports but does not write in dry-run', async () => {
    expect(await driver.ensureHost(node, { dryRun: true })).toEqual({ changed: true });
    expect(await readdir(join(dir, 'hosts.d'))).toEqual([]);
  });

  it('rewrites a changed reservation', async () => {
    await driver.ensureHost(node);
    expect(await driver.ensureHost({ ...node, ip: '10.250.0.51' })).toEqual({ changed: true });
    expect(await driver.listHosts()).toEqual([{ mac: '52:54:00:aa:00:01', ip: '10.250.0.51', hostname: 'node1' }]);
  });

  it('refuses an invalid entry and writes nothing', async () => {
    await expect(driver.ensureHost({ ...node, ip: '192.168.1.5' })).rejects.toMatchObject({ code: 'DHCP_INVALID_ENTRY', transient: false });
    expect(await readdir(join(dir, 'hosts.d'))).toEqual([]);
  });

  it('refuses an address already reserved for another node', async () => {
    await driver.ensureHost(node);
    await expect(driver.ensureHost({ mac: '52:54:00:aa:00:02', ip: '10.250.0.50', hostname: 'node2' })).rejects.toMatchObject({
      code: 'DHCP_CONFLICT',
    });
  });

  it('lists reservations and skips files it did not write', async () => {
    await driver.ensureHost(node);
    await writeFile(join(dir, 'hosts.d', 'README'), 'notes');
    await writeFile(join(dir, 'hosts.d', '52-54-00-aa-00-09'), 'garbage,,,zz');
    expect((await driver.listHosts()).map((entry) => entry.mac)).toEqual(['52:54:00:aa:00:01']);
  });

  it('removes the file and sends SIGHUP to the pid in the pid file', async () => {
    await driver.ensureHost(node);
    await writeFile(join(dir, 'dnsmasq.pid'), '4242\n');

    expect(await driver.removeHost('52:54:00:aa:00:01')).toEqual({ changed: true });

    expect(await readdir(join(dir, 'hosts.d'))).toEqual([]);
    expect(signals).toEqual([[4242, 'SIGHUP']]);
  });

  it('does nothing when removing an absent reservation', async () => {
    await writeFile(join(dir, 'dnsmasq.pid'), '4242\n');
    expect(await driver.removeHost('52:54:00:aa:00:01')).toEqual({ changed: false });
    expect(signals).toEqual([]);
  });

  it('keeps the file and sends nothing in dry-run removal', async () => {
    await driver.ensureHost(node);
    await writeFile(join(dir, 'dnsmasq.pid'), '4242\n');
    expect(await driver.removeHost(node.mac, { dryRun: true })).toEqual({ changed: true });
    expect(await readdir(join(dir, 'hosts.d'))).toEqual(['52-54-00-aa-00-01']);
    expect(signals).toEqual([]);
  });

  it('treats a missing pid file as a server that is not running', async () => {
    await driver.ensureHost(node);
    await rm(join(dir, 'dnsmasq.pid'), { force: true });
    expect(await driver.removeHost(node.mac)).toEqual({ changed: true });
    expect(signals).toEqual([]);
  });

  it('reports a pid file that holds no pid', async () => {
    await writeFile(join(dir, 'dnsmasq.pid'), 'not-a-pid');
    await expect(driver.reload()).rejects.toMatchObject({ code: 'DHCP_RELOAD' });
  });

  it('reports a missing hosts folder as an I/O error', async () => {
    await rm(join(dir, 'hosts.d'), { recursive: true });
    await expect(driver.ensureHost(node)).rejects.toMatchObject({ code: 'DHCP_IO', details: { errno: 'ENOENT' } });
  });
});
