import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDnsmasqConfig } from '../../reconciler/drivers/dhcp/dnsmasq/config-file.js';
import { createDnsmasqDriver } from '../../reconciler/drivers/dhcp/dnsmasq/dnsmasq-driver.js';
import { loadDnsmasqTemplate } from '../../reconciler/drivers/dhcp/dnsmasq/template.js';
import { buildTestSettings } from '../support/dnsmasq-settings.js';
import type { DhcpDriver } from '../../reconciler/drivers/dhcp/types.js';
import { runCommand } from '../../reconciler/lib/command.js';
import { createNetnsPair, explainMissingNetns, type NetnsPair } from '../support/netns.js';
import { startDnsmasq, type RunningDnsmasq } from './start-dnsmasq.js';

const CLIENT_MAC = '52:54:00:aa:00:01';
const IPXE_DIR = '/usr/lib/ipxe';
// udhcpc hands the lease to a script as environment variables; this one records them (Debian ships no default script).
const UDHCPC_SCRIPT = '#!/bin/sh\ncase "$1" in bound|renew) env > "${0%/*}/lease.env" ;; esac\nexit 0\n';

const missing = await explainMissingNetns();
if (missing) console.warn(`SKIPPED dnsmasq network namespace tests: ${missing}`);
const describeWithNetns = missing ? describe.skip : describe;

describeWithNetns('dnsmasq with plinth configuration, udhcpc in a second namespace', () => {
  let dir: string;
  let pair: NetnsPair;
  let dnsmasq: RunningDnsmasq | undefined;
  let driver: DhcpDriver;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-dhcp-netns-'));
    // dnsmasq drops to user nobody, which must read the host files and the TFTP root.
    await chmod(dir, 0o755);
    for (const folder of ['hosts.d', 'staging', 'tftp']) await mkdir(join(dir, folder), { mode: 0o755 });
    for (const file of ['undionly.kpxe', 'ipxe.efi']) await copyFile(join(IPXE_DIR, file), join(dir, 'tftp', file));
    await writeFile(join(dir, 'udhcpc.sh'), UDHCPC_SCRIPT, { mode: 0o755 });
    pair = await createNetnsPair({ serverAddress: '10.250.0.1/24', serverAddress6: 'fd00:250::1/64', clientAddress: '10.250.0.9/24', clientMac: CLIENT_MAC });
    driver = createDnsmasqDriver({ settings: buildTestSettings(dir, { interface: pair.server.interface }), template: await loadDnsmasqTemplate() });
    await ensureDnsmasqConfig(join(dir, 'dnsmasq.conf'), driver.renderConfig(), runCommand);
    dnsmasq = await startDnsmasq(pair, pair.server, join(dir, 'dnsmasq.conf'), join(dir, 'dnsmasq.log'));
  });

  afterAll(async () => {
    await dnsmasq?.stop();
    await pair?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs busybox udhcpc once in the client namespace and returns the lease it was given. */
  async function requestLease(extraOptions: string[] = []): Promise<Record<string, string>> {
    await rm(join(dir, 'lease.env'), { force: true });
    const args = ['udhcpc', '-i', pair.client.interface, '-q', '-n', '-t', '3', '-T', '1', '-s', join(dir, 'udhcpc.sh'), ...extraOptions];
    await pair.exec(pair.client, 'busybox', args, 20_000);
    const lines = (await readFile(join(dir, 'lease.env'), 'utf8')).split('\n');
    return Object.fromEntries(lines.filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  }

  it('gives an unknown machine a discovery pool address', async () => {
    const lease = await requestLease();
    expect(Number(lease.ip?.split('.')[3])).toBeGreaterThanOrEqual(100);
    expect(Number(lease.ip?.split('.')[3])).toBeLessThanOrEqual(199);
  });

  it('gives the reserved address and name once plinth writes the host file, without a restart', async () => {
    await driver.ensureHost({ mac: CLIENT_MAC, ip: '10.250.0.50', hostname: 'node1' });

    const lease = await requestLease();

    expect(lease).toMatchObject({ ip: '10.250.0.50', hostname: 'node1' });
    // Still the dnsmasq the test started: the reservation arrived through inotify, not a restart.
    expect(Number(await readFile(join(dir, 'dnsmasq.pid'), 'utf8'))).toBe(dnsmasq?.pid);
  });

  it('picks up a changed reservation', async () => {
    await driver.ensureHost({ mac: CLIENT_MAC, ip: '10.250.0.51', hostname: 'node1' });
    expect((await requestLease()).ip).toBe('10.250.0.51');
  });

  it('forgets the reservation after removeHost, which signals dnsmasq', async () => {
    expect(await driver.removeHost(CLIENT_MAC)).toEqual({ changed: true });

    const lease = await requestLease();

    expect(lease.ip).not.toBe('10.250.0.51');
    expect(Number(lease.ip?.split('.')[3])).toBeGreaterThanOrEqual(100);
  });

  it('sends BIOS firmware (no client architecture) undionly.kpxe from this server', async () => {
    expect(await requestLease()).toMatchObject({ boot_file: 'undionly.kpxe', siaddr: '10.250.0.1' });
  });

  it('sends UEFI x86-64 firmware (client architecture 7 or 9) ipxe.efi', async () => {
    expect((await requestLease(['-x', '0x5d:0007'])).boot_file).toBe('ipxe.efi');
    expect((await requestLease(['-x', '0x5d:0009'])).boot_file).toBe('ipxe.efi');
  });

  it('sends UEFI arm64 firmware (client architecture 11) snp.efi', async () => {
    expect((await requestLease(['-x', '0x5d:000b'])).boot_file).toBe('snp.efi');
  });

  it('sends iPXE (user class "iPXE") the per-node script URL on plinth', async () => {
    expect((await requestLease(['-x', '0x4d:69505845'])).boot_file).toBe('http://10.250.0.1:8080/boot/${netX/mac:hexhyp}.ipxe');
    expect((await requestLease(['-x', '0x4d:69505845', '-x', '0x5d:0007'])).boot_file).toBe('http://10.250.0.1:8080/boot/${netX/mac:hexhyp}.ipxe');
  });

  it('serves the boot file over TFTP byte for byte', async () => {
    const target = join(dir, 'fetched.kpxe');
    await pair.exec(pair.client, 'curl', ['-sS', '--max-time', '10', '-o', target, 'tftp://10.250.0.1/undionly.kpxe']);
    expect(await readFile(target)).toEqual(await readFile(join(IPXE_DIR, 'undionly.kpxe')));
  });
});
