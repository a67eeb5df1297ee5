import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDnsmasqDriver } from '../../reconciler/drivers/dhcp/dnsmasq/dnsmasq-driver.js';
import { loadDnsmasqTemplate } from '../../reconciler/drivers/dhcp/dnsmasq/template.js';
import { buildTestSettings } from '../support/dnsmasq-settings.js';
import { startDnsmasq, type RunningDnsmasq } from '../dhcp/start-dnsmasq.js';
import { createNetnsPair, explainMissingNetns, type NetnsPair } from '../support/netns.js';

const MAC = '52:54:00:aa:00:01';
const QEMU = '/usr/bin/qemu-system-x86_64';
const missing =
  (await explainMissingNetns()) ??
  (existsSync(QEMU) ? undefined : `${QEMU} is not installed`) ??
  (existsSync('/dev/net/tun') ? undefined : '/dev/net/tun is missing (QEMU needs a tap device)');
if (missing) console.warn(`SKIPPED iPXE-in-QEMU boot test: ${missing}`);
const describeWithQemu = missing ? describe.skip : describe;

/** Starts a process, collects its output, and stops it by PID (bounded) at the end. */
function startProcess(file: string, args: string[]): { child: ChildProcess; output: () => string; stop: () => Promise<void> } {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if ((await Promise.race([exited.then(() => true), sleep(3000, undefined, { ref: false }).then(() => false)])) === false) child.kill('SIGKILL');
  };
  return { child, output: () => output, stop };
}

async function waitFor(condition: () => boolean, seconds: number): Promise<boolean> {
  for (let tick = 0; tick < seconds * 4; tick += 1) {
    if (condition()) return true;
    await sleep(250);
  }
  return condition();
}

describeWithQemu('a real iPXE (QEMU) boots through plinth: dnsmasq, per-MAC script, boot assets', () => {
  let dir: string;
  let pair: NetnsPair;
  let dnsmasq: RunningDnsmasq | undefined;
  let server: ReturnType<typeof startProcess> | undefined;
  let qemu: ReturnType<typeof startProcess> | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-ipxe-'));
    await chmod(dir, 0o755);
    for (const folder of ['hosts.d', 'staging', 'tftp', 'assets']) await mkdir(join(dir, folder), { mode: 0o755 });
    // Not a kernel: iPXE downloads it and then refuses to boot it, which is as far as this test needs to go.
    await writeFile(join(dir, 'assets', 'vmlinuz'), randomBytes(300 * 1024));
    await writeFile(join(dir, 'assets', 'initrd.gz'), randomBytes(200 * 1024));
    pair = await createNetnsPair({ serverAddress: '10.250.0.1/24', serverAddress6: 'fd00:250::1/64' });
    // QEMU's tap joins the client end of the veth through a bridge in the client namespace.
    for (const args of [['link', 'add', 'br0', 'type', 'bridge'], ['link', 'set', pair.client.interface, 'master', 'br0'], ['link', 'set', 'br0', 'up'],
      ['tuntap', 'add', 'tap0', 'mode', 'tap'], ['link', 'set', 'tap0', 'master', 'br0'], ['link', 'set', 'tap0', 'up']]) {
      await pair.exec(pair.client, 'ip', args);
    }
    const driver = createDnsmasqDriver({ settings: buildTestSettings(dir, { interface: pair.server.interface }), template: await loadDnsmasqTemplate() });
    await writeFile(join(dir, 'dnsmasq.conf'), driver.renderConfig());
    dnsmasq = await startDnsmasq(pair, pair.server, join(dir, 'dnsmasq.conf'), join(dir, 'dnsmasq.log'));
    const script = new URL('./serve-boot-routes.ts', import.meta.url).pathname;
    server = startProcess(...pair.command(pair.server, process.execPath, ['--import', 'tsx', script, '10.250.0.1', '8080', join(dir, 'assets'), 'unknown']));
    if (!(await waitFor(() => server?.output().includes('listening') ?? false, 30))) throw new Error(`boot routes did not start: ${server.output()}`);
  }, 60_000);

  afterAll(async () => {
    await qemu?.stop();
    await server?.stop();
    await dnsmasq?.stop();
    await pair?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('fetches its per-MAC script by the URL iPXE builds from the DHCP file name, then the discovery kernel and initrd', async () => {
    qemu = startProcess(...pair.command(pair.client, QEMU, ['-nographic', '-m', '256', '-boot', 'n', '-no-reboot', '-netdev', 'tap,id=n0,ifname=tap0,script=no,downscript=no',
      '-device', `virtio-net-pci,netdev=n0,mac=${MAC}`]));

    const fetchedInitrd = await waitFor(() => server?.output().includes('"/boot/assets/initrd.gz"') ?? false, 120);

    const requests = (server?.output() ?? '').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { path: string; status: number });
    expect(fetchedInitrd).toBe(true);
    expect(requests.slice(0, 3)).toEqual([
      { method: 'GET', path: '/boot/52-54-00-aa-00-01.ipxe', status: 200 },
      { method: 'GET', path: '/boot/assets/vmlinuz', status: 200 },
      { method: 'GET', path: '/boot/assets/initrd.gz', status: 200 },
    ]);
    expect(qemu.output()).toContain('plinth: discovery for 52:54:00:aa:00:01');
  }, 150_000);
});
