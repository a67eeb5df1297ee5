import { mkdir, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pollUntil, startDetached } from './processes.js';
import { inNamespace } from './provisioning-network.js';

/** ipmi_sim implements RMCP+ with SHA-1 and MD5 only: clients must use cipher suite 3, not 17. */
export const LAB_CIPHER_SUITE = '3';

const HOOK = fileURLToPath(new URL('./chassis-control.sh', import.meta.url));

export interface BmcSettings {
  name: string;
  address: string;
  port: number;
  user: string;
  password: string;
  /** The node folder the chassis hook keeps power and boot state in (see chassis-control.sh). */
  nodeDir: string;
}

/** ipmi_sim's LAN configuration (ipmi_lan(5)); it holds the password, so the file is private. */
export function renderLanConf(settings: BmcSettings): string {
  return [
    `name "${settings.name}"`,
    'set_working_mc 0x20',
    '  startlan 1',
    `    addr ${settings.address} ${settings.port}`,
    '    priv_limit admin',
    ...['callback', 'user', 'operator', 'admin'].map((level) => `    allowed_auths_${level} none md2 md5 straight`),
    // Without a GUID ipmi_sim does not offer IPMI 2.0 (RMCP+); unique per address and port for `mc guid`.
    `    guid ${procNetUdpKey(settings.address, settings.port).replace(':', '').toLowerCase().padStart(32, '0')}`,
    '  endlan',
    `  chassis_control "/bin/sh ${HOOK} ${settings.nodeDir}"`,
    `  user 2 true "${settings.user}" "${settings.password}" admin 10 none md2 md5 straight`,
    '',
  ].join('\n');
}

const EMULATOR_COMMANDS = ['mc_setbmc 0x20', 'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02', 'mc_enable 0x20', ''].join('\n');

/** `/proc/net/udp` writes IPv4 local addresses as little-endian hex, then the port in hex. */
function procNetUdpKey(address: string, port: number): string {
  const bytes = address.split('.').map((part) => Number(part).toString(16).padStart(2, '0').toUpperCase());
  return `${bytes.reverse().join('')}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
}

/** Whether `pid` holds a UDP socket bound to address:port; ipmi_sim keeps running when its bind fails. */
async function listensOn(pid: number, address: string, port: number): Promise<boolean> {
  const key = procNetUdpKey(address, port);
  // The socket table of the process's own network namespace.
  const table = await readFile(`/proc/${pid}/net/udp`, 'utf8').catch(() => '');
  const inodes = table.split('\n').map((line) => line.trim().split(/\s+/)).filter((fields) => fields[1] === key).map((fields) => fields[9]);
  if (inodes.length === 0) return false;
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return links.some((link) => inodes.some((inode) => link === `socket:[${inode}]`));
}

/**
 * Starts one ipmi_sim inside the lab namespace (on its loopback, where the controller reaches it like a BMC on a
 * management network), detached; `record` gets its PID at once, and this resolves once it listens (bounded wait).
 */
export async function startSimulatedBmc(settings: BmcSettings, bmcDir: string, namespace: string, record: (pid: number) => Promise<void>): Promise<void> {
  await mkdir(join(bmcDir, 'persist'), { recursive: true, mode: 0o700 });
  await writeFile(join(bmcDir, 'lan.conf'), renderLanConf(settings), { mode: 0o600 });
  await writeFile(join(bmcDir, 'bmc.emu'), EMULATOR_COMMANDS);
  const args = ['-n', '-c', join(bmcDir, 'lan.conf'), '-f', join(bmcDir, 'bmc.emu'), '-s', join(bmcDir, 'persist')];
  const pid = await startDetached(...inNamespace(namespace, 'ipmi_sim', args), join(bmcDir, 'ipmi_sim.log'));
  await record(pid);
  const ready = await pollUntil(async () => ((await listensOn(pid, settings.address, settings.port)) ? true : undefined), 200, 25);
  if (!ready) {
    const log = await readFile(join(bmcDir, 'ipmi_sim.log'), 'utf8').catch(() => '');
    throw new Error(`ipmi_sim for ${settings.name} did not listen on ${settings.address}:${settings.port}: ${log.trim()}`);
  }
}
