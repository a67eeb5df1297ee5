import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { BootSettings } from '../reconciler/drivers/boot/types.js';
import { runCommand } from '../reconciler/lib/command.js';
import { controllerUrl, type LabConfig } from './lab-config.js';
import { pollUntil, startDetached } from './processes.js';
import { buildDnsmasqSettings } from './provisioning-dhcp.js';
import { inNamespace } from './provisioning-network.js';
import { LAB_CIPHER_SUITE } from './simulated-bmc.js';

const REPO_DIR = fileURLToPath(new URL('..', import.meta.url));
export const CLI_SCRIPT = join(REPO_DIR, 'reconciler', 'cli', 'main.ts');
const CLUSTER_SOURCE = join(REPO_DIR, 'lab', 'cluster');

/** Whether this checkout has the controller (`plinth serve`). */
export async function hasPlinthServe(): Promise<boolean> {
  return (await readFile(join(REPO_DIR, 'reconciler', 'cli', 'commands', 'serve.ts'), 'utf8').catch(() => '')).includes("command('serve')");
}

export async function git(cwd: string, args: readonly string[]): Promise<void> {
  const identity = ['-c', 'user.name=plinth lab', '-c', 'user.email=lab@plinth.test'];
  const result = await runCommand('git', [...identity, ...args], { cwd, timeoutMs: 30_000 });
  if (result.exitCode !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.trim()}`);
}

/** Keeps only the Node manifests of the nodes this lab runs (a smaller lab must not pin BMCs that do not exist). */
async function keepLabNodes(nodesFile: string, names: ReadonlySet<string>): Promise<void> {
  const documents = parseAllDocuments(await readFile(nodesFile, 'utf8'));
  const kept = documents.filter((document) => names.has(String(document.getIn(['metadata', 'name']))));
  await writeFile(nodesFile, kept.map((document) => document.toString()).join('---\n'));
}

/** A local Git repository holding lab/cluster, one commit on main: what `plinth serve --repo` follows. */
export async function createClusterRepository(dir: string, nodeNames: readonly string[]): Promise<string> {
  const repo = join(dir, 'cluster');
  await cp(CLUSTER_SOURCE, repo, { recursive: true });
  await keepLabNodes(join(repo, 'nodes', 'lab-nodes.yaml'), new Set(nodeNames));
  await git(repo, ['init', '-q', '-b', 'main']);
  await git(repo, ['add', '.']);
  await git(repo, ['commit', '-q', '-m', 'lab cluster: 1 controller, 2 computes, 1 Ceph OSD']);
  return repo;
}

/**
 * Starts `plinth serve` inside the namespace, on the bridge address: it follows the lab's cluster repository,
 * drives the BMCs (cipher suite 3 for ipmi_sim), writes dnsmasq reservations and serves the boot routes.
 * The BMC password reaches it through the environment variable the Node manifests name.
 */
export async function startPlinthServe(config: LabConfig, assetsDir: string, bmcPassword: string, record: (pid: number) => Promise<void>): Promise<string> {
  const url = controllerUrl(config);
  const image = { kernel: 'vmlinuz', initrd: 'initrd.gz' };
  const boot: BootSettings = {
    controllerUrl: url, discovery: image, deploy: image,
    kernelArgs: `console=ttyS0,115200 quiet panic=10 plinth.ssh_key_url=${url}/boot/assets/controller.pub`,
  };
  await writeFile(join(config.dir, 'boot-settings.json'), JSON.stringify(boot, null, 2));
  await writeFile(join(config.dir, 'dnsmasq-settings.json'), JSON.stringify(buildDnsmasqSettings(config), null, 2));
  const repo = await createClusterRepository(config.dir, config.nodes.map((node) => node.name));
  const args = [
    '--import', 'tsx', CLI_SCRIPT, 'serve', '--repo', repo, '--data', join(config.dir, 'plinth-data'), '--listen', `${new URL(url).hostname}:${config.apiPort}`,
    '--cluster', 'lab', '--poll-interval', '5', '--dnsmasq-settings', join(config.dir, 'dnsmasq-settings.json'),
    '--boot-settings', join(config.dir, 'boot-settings.json'), '--boot-assets', assetsDir, '--ipmi-cipher-suite', LAB_CIPHER_SUITE,
  ];
  const logPath = join(config.dir, 'plinth-serve.log');
  const [program, programArgs] = inNamespace(config.namespace, process.execPath, args);
  await record(await startDetached(program, programArgs, logPath, { cwd: REPO_DIR, env: { PLINTH_LAB_BMC_PASSWORD: bmcPassword } }));
  const ready = await pollUntil(async () => ((await readFile(logPath, 'utf8').catch(() => '')).includes('plinth serving') ? true : undefined), 600, 100);
  if (!ready) throw new Error(`plinth serve did not start: ${(await readFile(logPath, 'utf8').catch(() => '')).slice(-2000)}`);
  return join(config.dir, 'plinth-data', 'plinth.db');
}
