/**
 * `npm run lab` brings up a virtual datacenter on this machine; `npm run lab -- down` removes all of it.
 * Needs root and the Debian packages listed in lab/prerequisites.ts (it says which are missing).
 * The BMC password is taken from PLINTH_LAB_BMC_PASSWORD, or generated into .lab/bmc-password.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLabConfig, type LabConfig } from './lab-config.js';
import { bringLabDown } from './lab-down.js';
import { bringLabUp, generateBmcPassword } from './lab-up.js';
import { createIpmitoolDriver } from '../reconciler/drivers/bmc/ipmitool/index.js';
import { ensureLiveSystem } from './live-system.js';
import { LAB_CIPHER_SUITE } from './simulated-bmc.js';
import { hasPlinthServe } from './plinth-serve.js';
import { createNamespaceRunner } from './provisioning-network.js';
import { findMissingPrerequisites } from './prerequisites.js';

const REPO_DIR = fileURLToPath(new URL('..', import.meta.url));
const STATE_PATH = join(REPO_DIR, '.lab', 'state.json');
const PASSWORD_PATH = join(REPO_DIR, '.lab', 'bmc-password');

async function readBmcPassword(): Promise<string> {
  const fromEnv = process.env.PLINTH_LAB_BMC_PASSWORD;
  if (fromEnv) return fromEnv;
  await mkdir(join(REPO_DIR, '.lab'), { recursive: true });
  if (existsSync(PASSWORD_PATH)) return (await readFile(PASSWORD_PATH, 'utf8')).trim();
  const password = generateBmcPassword();
  await writeFile(PASSWORD_PATH, `${password}\n`, { mode: 0o600 });
  return password;
}

function describeLab(config: LabConfig, url: string, controller: 'serve' | 'reports'): string {
  const lines = [
    `lab up: namespace ${config.namespace}, bridge ${config.bridge} ${config.serverCidr}, API ${url}`,
    ...config.nodes.map((node) => `  ${node.name.padEnd(10)} ${node.firmware.padEnd(4)} ${node.mac}  serial ${node.serial}  BMC ipmi://${node.bmcAddress}:${config.bmcPort}`),
    `BMC user ${config.bmcUser}; password: export PLINTH_LAB_BMC_PASSWORD="$(cat ${PASSWORD_PATH})" unless you set it yourself`,
    `the BMCs listen inside the namespace: IPMI_PASSWORD=$PLINTH_LAB_BMC_PASSWORD ip netns exec ${config.namespace} ipmitool -I lanplus -C 3 -H ${config.nodes[0]?.bmcAddress ?? '127.25.0.11'} -U ${config.bmcUser} -E power status`,
    ...(controller === 'serve'
      ? [`status: npx tsx reconciler/cli/main.ts status --data ${join(config.dir, 'plinth-data')}`,
        `cluster repository: ${join(config.dir, 'cluster')} (from lab/cluster); once the nodes are discovered, commit to it (git commit --allow-empty) for plinth to enrol them`]
      : ['no controller: power nodes on by hand; reports are stored, nothing is enrolled']),
    'remove everything: npm run lab -- down',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Sets every node to PXE and powers it on through plinth's BMC driver, as an operator racking new machines
 * would: the controller acts on nodes once they have reported, and they report once they boot.
 */
async function powerOnNodes(config: LabConfig, password: string): Promise<void> {
  const bmc = createIpmitoolDriver({ runCommand: createNamespaceRunner(config.namespace), cipherSuite: LAB_CIPHER_SUITE });
  for (const node of config.nodes) {
    const target = { address: `ipmi://${node.bmcAddress}:${config.bmcPort}`, credentials: { username: config.bmcUser, password } };
    await bmc.ensureBootDevice(target, 'pxe', { persistent: false, efi: false });
    await bmc.ensurePower(target, 'on');
    process.stdout.write(`${node.name}: powered on (PXE)\n`);
  }
}

async function up(): Promise<number> {
  const problems = await findMissingPrerequisites();
  if (problems.length > 0) {
    process.stderr.write(`the lab cannot start:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
    return 1;
  }
  const config = buildLabConfig(REPO_DIR);
  const liveDir = await ensureLiveSystem();
  try {
    // `--reports-only` runs the report API and boot routes without the controller (which then powers nothing on).
    const controller = !process.argv.includes('--reports-only') && (await hasPlinthServe()) ? 'serve' : 'reports';
    const password = await readBmcPassword();
    const lab = await bringLabUp(config, { statePath: STATE_PATH, liveDir, bmcPassword: password, controller });
    process.stdout.write(`controller: ${controller === 'serve' ? 'plinth serve (log .lab/run/plinth-serve.log)' : 'report API and boot routes only (log .lab/run/server.log)'}\n`);
    process.stdout.write(describeLab(config, lab.controllerUrl, controller));
    if (controller === 'serve' && !process.argv.includes('--no-power-on')) await powerOnNodes(config, password);
    return 0;
  } catch (error) {
    process.stderr.write(`lab up failed: ${(error as Error).message}\nremoving what was created\n`);
    await bringLabDown(STATE_PATH);
    return 1;
  }
}

async function down(): Promise<number> {
  const report = await bringLabDown(STATE_PATH);
  if (!report) {
    process.stdout.write('no lab is up (no .lab/state.json)\n');
    return 0;
  }
  process.stdout.write(`lab down: stopped ${report.stoppedPids.length} processes, deleted namespace ${report.namespace ?? '-'} and ${report.removedDir ?? '-'}\n`);
  return 0;
}

const command = process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 'up';
if (command !== 'up' && command !== 'down') {
  process.stderr.write('usage: npm run lab [-- up [--reports-only] [--no-power-on] | down]\n');
  process.exitCode = 2;
} else {
  process.exitCode = await (command === 'up' ? up() : down());
}
