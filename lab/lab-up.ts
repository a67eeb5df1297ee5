import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../reconciler/lib/command.js';
import { controllerUrl, type LabConfig } from './lab-config.js';
import { createStateRecorder, readLabState, writeLabState } from './lab-state.js';
import { pollUntil, startDetached } from './processes.js';
import { startLabDnsmasq } from './provisioning-dhcp.js';
import { createProvisioningNetwork, inNamespace, namespaceExists } from './provisioning-network.js';
import type { ProvisioningServerSettings } from './provisioning-server.js';
import type { GoldenImage } from './live-system.js';
import { startPlinthServe } from './plinth-serve.js';
import { startSimulatedBmc } from './simulated-bmc.js';
import { prepareNodeFiles } from './virtual-node.js';

const SERVER_SCRIPT = fileURLToPath(new URL('./provisioning-server.ts', import.meta.url));
/** tsx is resolved from the repository's node_modules. */
const REPO_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface LabUpOptions {
  /** Where the state file goes (outside `config.dir`, which `down` deletes). */
  statePath: string;
  /** The live system's folder (vmlinuz, initrd.gz), as `boot-assets/live/build.sh` prints it. */
  liveDir: string;
  bmcPassword: string;
  /** `serve`: the controller itself (`plinth serve` on the lab's cluster repository); `reports`: only the report API and boot routes. */
  controller: 'serve' | 'reports';
  /**
   * With `serve`: the golden image the controller pushes over SSH (its Image manifest goes into the lab's
   * repository). Without it nodes are enrolled up to the deploy environment only.
   */
  goldenImage?: GoldenImage;
}

export interface RunningLab {
  config: LabConfig;
  controllerUrl: string;
  databasePath: string;
  /** Node folders by node name: `boot`, `calls.log`, `console.log`, `qemu.pid`, `vm`. */
  nodeDirs: Record<string, string>;
  /** The controller's SSH key pair the live system trusts (`plinth.ssh_key_url`). */
  sshKeyPath: string;
  /** Lifecycle states by MAC that override the store's when a node asks how to boot (see provisioning-server.ts). */
  nodeStatesPath: string;
}

/** Refuses to start over a lab that is (partly) up: its objects would be lost from the state file. */
async function checkNothingRunning(config: LabConfig, statePath: string): Promise<void> {
  if (await readLabState(statePath)) throw new Error(`a lab is already up (state in ${statePath}): run "npm run lab -- down" first`);
  if (await namespaceExists(config.namespace)) throw new Error(`network namespace ${config.namespace} already exists: delete it with "ip netns delete ${config.namespace}"`);
}

/** The boot assets the API serves: the live system and the controller's public key. */
async function prepareAssets(config: LabConfig, liveDir: string): Promise<string> {
  const assets = join(config.dir, 'assets');
  await mkdir(assets, { recursive: true, mode: 0o755 });
  for (const file of ['vmlinuz', 'initrd.gz']) await copyFile(join(liveDir, file), join(assets, file));
  const key = join(config.dir, 'controller-key');
  const generated = await runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'plinth-lab-controller', '-f', key], { timeoutMs: 30_000 });
  if (generated.exitCode !== 0) throw new Error(`ssh-keygen failed: ${generated.stderr.trim()}`);
  await copyFile(`${key}.pub`, join(assets, 'controller.pub'));
  return assets;
}

async function startProvisioningServer(config: LabConfig, assetsDir: string, record: (pid: number) => Promise<void>): Promise<string> {
  const url = controllerUrl(config);
  const settings: ProvisioningServerSettings = {
    host: new URL(url).hostname,
    port: config.apiPort,
    databasePath: join(config.dir, 'plinth.db'),
    assetsDir,
    nodeStatesPath: join(config.dir, 'node-states.json'),
    // quiet: a serial console under TCG costs seconds per boot when the kernel prints everything.
    kernelArgs: `console=ttyS0,115200 quiet panic=10 plinth.ssh_key_url=${url}/boot/assets/controller.pub`,
  };
  const settingsPath = join(config.dir, 'server.json');
  await writeFile(settingsPath, JSON.stringify(settings, null, 2));
  const logPath = join(config.dir, 'server.log');
  const [program, args] = inNamespace(config.namespace, process.execPath, ['--import', 'tsx', SERVER_SCRIPT, settingsPath]);
  await record(await startDetached(program, args, logPath, { cwd: REPO_DIR }));
  const ready = await pollUntil(async () => ((await readFile(logPath, 'utf8').catch(() => '')).includes('"listening"') ? true : undefined), 600, 100);
  if (!ready) throw new Error(`the provisioning API did not start: ${(await readFile(logPath, 'utf8').catch(() => '')).slice(-2000)}`);
  return settings.databasePath;
}

/**
 * Brings the lab up: namespace and bridge, dnsmasq (configured by plinth's DHCP driver), per node a disk, a
 * `vm` script and an `ipmi_sim` BMC whose power starts it, then `plinth serve` (or only its report API and
 * boot routes).
 * Every object is recorded in the state file as it is created; on failure the caller runs `bringLabDown`.
 */
export async function bringLabUp(config: LabConfig, options: LabUpOptions): Promise<RunningLab> {
  await checkNothingRunning(config, options.statePath);
  if (!existsSync(join(options.liveDir, 'initrd.gz'))) throw new Error(`no live system in ${options.liveDir}: run boot-assets/live/build.sh`);
  const recorder = createStateRecorder(options.statePath, {
    namespace: config.namespace, dir: config.dir, nodeDirs: [], processes: [], createdAt: new Date().toISOString(),
  });
  await mkdir(config.dir, { recursive: true, mode: 0o755 });
  await writeLabState(options.statePath, recorder.state);
  await createProvisioningNetwork(config);
  await startLabDnsmasq(config, (pid) => recorder.addProcess({ role: 'dnsmasq', pid, program: 'dnsmasq' }));
  const assetsDir = await prepareAssets(config, options.liveDir);
  const nodeDirs: Record<string, string> = {};
  // The BMCs come first: the controller acts on them as soon as it has read the repository.
  for (const [index, node] of config.nodes.entries()) {
    const dir = join(config.dir, 'nodes', node.name);
    await recorder.addNodeDir(dir);
    await prepareNodeFiles(dir, config.namespace, node, index);
    const settings = { name: node.name, address: node.bmcAddress, port: config.bmcPort, user: config.bmcUser, password: options.bmcPassword, nodeDir: dir };
    await startSimulatedBmc(settings, join(config.dir, 'bmcs', node.name), config.namespace, (pid) => recorder.addProcess({ role: `bmc:${node.name}`, pid, program: 'ipmi_sim' }));
    nodeDirs[node.name] = dir;
  }
  const sshKeyPath = join(config.dir, 'controller-key');
  const serveOptions = { bmcPassword: options.bmcPassword, ...(options.goldenImage ? { image: options.goldenImage, sshKeyPath } : {}) };
  const databasePath = options.controller === 'serve'
    ? await startPlinthServe(config, assetsDir, serveOptions, (pid) => recorder.addProcess({ role: 'plinth-serve', pid, program: 'main.ts' }))
    : await startProvisioningServer(config, assetsDir, (pid) => recorder.addProcess({ role: 'api', pid, program: 'provisioning-server.ts' }));
  return { config, controllerUrl: controllerUrl(config), databasePath, nodeDirs, sshKeyPath, nodeStatesPath: join(config.dir, 'node-states.json') };
}

/** A BMC password for the lab when the operator did not set one (ipmi_sim keeps at most 16 bytes). */
export function generateBmcPassword(): string {
  return randomBytes(12).toString('base64url').slice(0, 16);
}
