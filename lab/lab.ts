/**
 * `npm run lab` brings up a virtual datacenter on this machine; `npm run lab -- down` removes all of it.
 * Needs root and the Debian packages listed in lab/prerequisites.ts (it says which are missing).
 * The BMC password is taken from PLINTH_LAB_BMC_PASSWORD, or generated into .lab/bmc-password.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLabConfig, controllerUrl, LAB_IMAGE_DISK_MIB, LAB_FAULT_NODES, LAB_NODES, type LabConfig } from './lab-config.js';
import { bringLabDown } from './lab-down.js';
import { bringLabUp, generateBmcPassword } from './lab-up.js';
import { ensureGoldenImage, ensureLiveSystem } from './live-system.js';
import { hasPlinthServe, LAB_IMAGE_NAME } from './plinth-serve.js';
import { powerOnNodes } from './power-on-nodes.js';
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
        `cluster repository: ${join(config.dir, 'cluster')} (from lab/cluster, plus images/golden.yaml); each node is installed once it has reported`,
        `the commit's note: git -C ${join(config.dir, 'cluster')} notes --ref=plinth show HEAD`]
      : ['no controller: power nodes on by hand; reports are stored, nothing is enrolled']),
    'remove everything: npm run lab -- down',
  ];
  return `${lines.join('\n')}\n`;
}

async function up(): Promise<number> {
  const problems = await findMissingPrerequisites();
  if (problems.length > 0) {
    process.stderr.write(`the lab cannot start:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
    return 1;
  }
  // `--faults` adds a compute whose manifest has a wrong BMC password and one whose disk is too small.
  const config = buildLabConfig(REPO_DIR, { nodes: [...LAB_NODES, ...(process.argv.includes('--faults') ? LAB_FAULT_NODES : [])] });
  const liveDir = await ensureLiveSystem();
  // `--reports-only` runs the report API and boot routes without the controller (which then powers nothing on).
  const controller = !process.argv.includes('--reports-only') && (await hasPlinthServe()) ? 'serve' : 'reports';
  // The golden image reports to the controller's URL once installed; it is built (or found in the cache) now.
  const goldenImage = controller === 'serve' ? await ensureGoldenImage({ controllerUrl: controllerUrl(config), imageName: LAB_IMAGE_NAME, diskMiB: LAB_IMAGE_DISK_MIB }) : undefined;
  try {
    const password = await readBmcPassword();
    const lab = await bringLabUp(config, { statePath: STATE_PATH, liveDir, bmcPassword: password, controller, ...(goldenImage ? { goldenImage } : {}) });
    process.stdout.write(`controller: ${controller === 'serve' ? 'plinth serve (log .lab/run/plinth-serve.log)' : 'report API and boot routes only (log .lab/run/server.log)'}\n`);
    process.stdout.write(describeLab(config, lab.controllerUrl, controller));
    if (controller === 'serve' && !process.argv.includes('--no-power-on')) {
      await powerOnNodes(config, password);
      process.stdout.write(`powered on (PXE): ${config.nodes.map((node) => node.name).join(', ')}\n`);
    }
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
  process.stderr.write('usage: npm run lab [-- up [--faults] [--reports-only] [--no-power-on] | down]\n');
  process.exitCode = 2;
} else {
  process.exitCode = await (command === 'up' ? up() : down());
}
