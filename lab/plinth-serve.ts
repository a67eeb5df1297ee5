import { randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { BootSettings } from '../reconciler/drivers/boot/types.js';
import { runCommand } from '../reconciler/lib/command.js';
import { controllerUrl, LAB_WRONG_BMC_PASSWORD_ENV, type LabConfig } from './lab-config.js';
import type { GoldenImage } from './live-system.js';
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

/** The name the lab's golden image reports as `os.image` once booted from disk (its build's default). */
export const LAB_IMAGE_NAME = 'plinth-golden';

/** Keeps only the Node manifests of the nodes this lab runs (a smaller lab must not pin BMCs that do not exist). */
async function keepLabNodes(nodesDir: string, names: ReadonlySet<string>): Promise<void> {
  for (const file of (await readdir(nodesDir)).filter((name) => name.endsWith('.yaml'))) {
    const documents = parseAllDocuments(await readFile(join(nodesDir, file), 'utf8'));
    const kept = documents.filter((document) => names.has(String(document.getIn(['metadata', 'name']))));
    await writeFile(join(nodesDir, file), kept.map((document) => document.toString()).join('---\n'));
  }
}

/**
 * The Image manifest of the golden image built at `up` (its path and digest exist only once it is built, so it
 * is written into the lab's repository rather than kept in lab/cluster).
 */
export function renderImageManifest(image: GoldenImage): string {
  return [
    '# yaml-language-server: $schema=../../../schemas/image.json',
    '# Written by `npm run lab`: the golden image boot-assets/golden/build.sh built on this machine.',
    'apiVersion: plinth/v1',
    'kind: Image',
    'metadata:',
    `  name: ${LAB_IMAGE_NAME}`,
    '  description: The lab\'s golden image (kernel, busybox initramfs, discovery agent); reports once booted from disk.',
    'spec:',
    `  url: ${pathToFileURL(image.disk).href}`,
    `  sha256: ${image.sha256}`,
    '  format: raw',
    '',
  ].join('\n');
}

/** A local Git repository holding lab/cluster (and the golden image's manifest), one commit on main: what `plinth serve --repo` follows. */
export async function createClusterRepository(dir: string, nodeNames: readonly string[], image?: GoldenImage): Promise<string> {
  const repo = join(dir, 'cluster');
  await cp(CLUSTER_SOURCE, repo, { recursive: true });
  await keepLabNodes(join(repo, 'nodes'), new Set(nodeNames));
  if (image) {
    await mkdir(join(repo, 'images'), { recursive: true });
    await writeFile(join(repo, 'images', 'golden.yaml'), renderImageManifest(image));
  }
  await git(repo, ['init', '-q', '-b', 'main']);
  await git(repo, ['add', '.']);
  await git(repo, ['commit', '-q', '-m', 'lab cluster: 1 controller, 2 computes, 1 Ceph OSD']);
  return repo;
}

export interface PlinthServeOptions {
  bmcPassword: string;
  /** The golden image pushed to the nodes; without it nodes stop after the deploy boot (no image to write). */
  image?: GoldenImage;
  /** The controller's private key, which the live system trusts for root: enables image push over SSH. */
  sshKeyPath?: string;
}

/**
 * Starts `plinth serve` inside the namespace, on the bridge address: it follows the lab's cluster repository,
 * drives the BMCs (cipher suite 3 for ipmi_sim), writes dnsmasq reservations, serves the boot routes and, with
 * the SSH key, pushes the golden image from the deploy environment. Puppet is not run (`--puppet-ssh` is left
 * out: it cannot run in the tiny image), so nodes end `installed` with their ENC delivered.
 * The BMC passwords reach it through the environment variables the Node manifests name.
 */
export async function startPlinthServe(config: LabConfig, assetsDir: string, options: PlinthServeOptions, record: (pid: number) => Promise<void>): Promise<string> {
  const url = controllerUrl(config);
  const image = { kernel: 'vmlinuz', initrd: 'initrd.gz' };
  const boot: BootSettings = {
    controllerUrl: url, discovery: image, deploy: image,
    kernelArgs: `console=ttyS0,115200 quiet panic=10 plinth.ssh_key_url=${url}/boot/assets/controller.pub`,
  };
  await writeFile(join(config.dir, 'boot-settings.json'), JSON.stringify(boot, null, 2));
  await writeFile(join(config.dir, 'dnsmasq-settings.json'), JSON.stringify(buildDnsmasqSettings(config), null, 2));
  const repo = await createClusterRepository(config.dir, config.nodes.map((node) => node.name), options.image);
  const args = [
    '--import', 'tsx', CLI_SCRIPT, 'serve', '--repo', repo, '--data', join(config.dir, 'plinth-data'), '--listen', `${new URL(url).hostname}:${config.apiPort}`,
    '--cluster', 'lab', '--poll-interval', '5', '--dnsmasq-settings', join(config.dir, 'dnsmasq-settings.json'),
    '--boot-settings', join(config.dir, 'boot-settings.json'), '--boot-assets', assetsDir, '--ipmi-cipher-suite', LAB_CIPHER_SUITE,
    ...(options.sshKeyPath ? ['--ssh-key', options.sshKeyPath] : []),
  ];
  const logPath = join(config.dir, 'plinth-serve.log');
  const [program, programArgs] = inNamespace(config.namespace, process.execPath, args);
  const env = {
    PLINTH_LAB_BMC_PASSWORD: options.bmcPassword,
    // The wrong-BMC-password fault: a password no lab BMC has (random, so it never matches by chance).
    [LAB_WRONG_BMC_PASSWORD_ENV]: `wrong-${randomBytes(6).toString('hex')}`,
  };
  await record(await startDetached(program, programArgs, logPath, { cwd: REPO_DIR, env }));
  const ready = await pollUntil(async () => ((await readFile(logPath, 'utf8').catch(() => '')).includes('plinth serving') ? true : undefined), 600, 100);
  if (!ready) throw new Error(`plinth serve did not start: ${(await readFile(logPath, 'utf8').catch(() => '')).slice(-2000)}`);
  return join(config.dir, 'plinth-data', 'plinth.db');
}
