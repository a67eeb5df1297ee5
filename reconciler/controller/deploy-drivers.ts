import { join } from 'node:path';
import type { StepDrivers } from '../apply/driver-steps.js';
import { reportedState } from '../apply/report-signals.js';
import type { ApplyNode, StepContext } from '../apply/types.js';
import { createImageFetcher } from '../drivers/image/fetch-image.js';
import { inspectImageFile } from '../drivers/image/image-file.js';
import { createSshImageDriver } from '../drivers/image/ssh/ssh-image-driver.js';
import { wipeNodeDisks } from '../drivers/image/ssh/wipe-disks.js';
import type { RootDeviceHints } from '../drivers/image/types.js';
import { createSshPuppetDriver } from '../drivers/puppet/ssh/ssh-puppet-driver.js';
import type { Inventory } from '../inventory/types.js';
import type { CommandRunner } from '../lib/command.js';
import { PlinthError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { retryConnect } from '../lib/ssh-connect-retry.js';
import { openSshSession, type SshConnector, type SshEndpoint } from '../lib/ssh-session.js';
import type { Store } from '../store/types.js';

/** How the controller reaches machines over SSH: image push and wipe in the live system, Puppet in the installed one. */
export interface DeploySettings {
  /** Secret: the controller's private key (the live system authorizes its public half for root). */
  privateKey: string;
  dataDir: string;
  /** Where Puppet's ENC files are published (the puppet driver writes them there too). */
  encDir: string;
  /** Start Puppet runs over SSH; without it the puppet-run step is skipped and nodes end `installed`. */
  puppet: boolean;
  sshPort?: number;
  /** Prints the node's disks as `lsblk -J -b -O` does (the default). */
  listDisksCommand?: string;
  /** The agent command run on the node (default `puppet agent --onetime ...`), or one per certname. */
  puppetRunCommand?: string | ((certname: string) => string);
  puppetSummaryPath?: string;
}

export interface DeployDeps {
  store: Pick<Store, 'getLatestReport'>;
  runCommand: CommandRunner;
  log: Logger;
  connect?: SshConnector;
}

type System = 'live' | 'installed';

/** The deps once `buildDeployDrivers` made connecting patient: every driver connects through it. */
type ConnectedDeps = DeployDeps & { connect: SshConnector };

/** ed25519 first: it is what the live system generates and what ssh2 verifies fastest. */
function pickHostKey(keys: readonly string[]): string | undefined {
  return keys.find((key) => key.startsWith('ssh-ed25519 ')) ?? keys[0];
}

/** The host key the node's newest report gives for the system it must be running; never a key from the other one. */
async function readHostKey(deps: DeployDeps, node: ApplyNode, system: System, code: string): Promise<string> {
  const report = await deps.store.getLatestReport<Inventory>(node.nodeId);
  const from: System | undefined = report === undefined ? undefined : reportedState(report.inventory) === 'installed' ? 'installed' : 'live';
  const key = from === system ? pickHostKey(report?.inventory.sshHostKeys ?? []) : undefined;
  if (key !== undefined) return key;
  const what = system === 'live' ? 'the live system' : 'the installed system';
  const why = from === undefined ? 'the node has no report' : from !== system ? `its newest report comes from ${from === 'live' ? 'the live system' : 'the installed system'}` : 'its report lists no SSH host key';
  throw new PlinthError(code, `${node.hostname}: no SSH host key of ${what} to pin (${why})`, { details: { nodeId: node.nodeId } });
}

/** The reserved DHCP address of this action's dhcp-ensure step, else the one recorded for the node. */
function provisioningAddress(context: StepContext): string {
  const step = context.action.steps.find((candidate) => candidate.op === 'dhcp-ensure');
  const address = step?.op === 'dhcp-ensure' ? step.ip : context.node.provisioningAddress;
  if (!address) throw new PlinthError('IMAGE_CONNECT', `${context.node.hostname}: no provisioning address to reach the live system at`, { details: { nodeId: context.node.nodeId } });
  return address;
}

function endpoint(settings: DeploySettings, host: string, hostKey: string): SshEndpoint {
  return { host, port: settings.sshPort ?? 22, username: 'root', hostKey, privateKey: settings.privateKey };
}

/** The profile's hints in the driver's terms; the disk must at least hold the image, whatever the hints say. */
function toDriverHints(hints: ApplyNode['rootDeviceHints'], imageBytes: number): RootDeviceHints {
  const minFromHint = hints?.minSizeGB === undefined ? 0 : hints.minSizeGB * 1e9;
  return {
    ...(hints?.model === undefined ? {} : { model: hints.model }),
    ...(hints?.vendor === undefined ? {} : { vendor: hints.vendor }),
    ...(hints?.serial === undefined ? {} : { serial: hints.serial }),
    ...(hints?.rotational === undefined ? {} : { rotational: hints.rotational }),
    ...(hints?.byPath === undefined ? {} : { name: hints.byPath }),
    minSizeBytes: Math.max(minFromHint, imageBytes, 1),
  };
}

function buildDeployImage(settings: DeploySettings, deps: ConnectedDeps): NonNullable<StepDrivers['deployImage']> {
  const fetchImage = createImageFetcher({ cacheDir: join(settings.dataDir, 'images'), runCommand: deps.runCommand });
  const driver = createSshImageDriver({ log: deps.log, connect: deps.connect, ...(settings.listDisksCommand ? { listDisksCommand: settings.listDisksCommand } : {}) });
  return async (step, context) => {
    const { node } = context;
    if (!node.image) {
      throw new PlinthError('IMAGE_INVALID', `${node.hostname}: Image ${step.image || '(none)'} is not a golden image with url and sha256`, { details: { nodeId: node.nodeId } });
    }
    const image = await fetchImage(node.image);
    const { diskSize } = await inspectImageFile(image);
    const ssh = endpoint(settings, provisioningAddress(context), await readHostKey(deps, node, 'live', 'IMAGE_HOST_KEY'));
    const result = await driver.ensureImage({ node: node.hostname, ssh, rootDeviceHints: toDriverHints(node.rootDeviceHints, diskSize) }, image);
    return { changed: result.changed, image: node.image.name, ...(result.disk ? { disk: result.disk } : {}), digest: result.digest, bytesWritten: result.bytesWritten };
  };
}

function buildWipeDisks(settings: DeploySettings, deps: ConnectedDeps): NonNullable<StepDrivers['wipeDisks']> {
  return async (context) => {
    const { node } = context;
    const ssh = endpoint(settings, provisioningAddress(context), await readHostKey(deps, node, 'live', 'IMAGE_HOST_KEY'));
    const result = await wipeNodeDisks({ node: node.hostname, ssh }, { log: deps.log, connect: deps.connect, ...(settings.listDisksCommand ? { listDisksCommand: settings.listDisksCommand } : {}) });
    return { wiped: result.wiped, ...(result.skipped.length > 0 ? { skipped: result.skipped } : {}) };
  };
}

function runCommandFor(command: string | ((certname: string) => string)): string | ((node: { certname: string }) => string) {
  return typeof command === 'string' ? command : (node) => command(node.certname);
}

function buildRunPuppet(settings: DeploySettings, deps: ConnectedDeps): NonNullable<StepDrivers['runPuppet']> {
  const puppet = createSshPuppetDriver({
    encDir: settings.encDir,
    log: deps.log,
    connect: deps.connect,
    ...(settings.puppetRunCommand ? { runCommand: runCommandFor(settings.puppetRunCommand) } : {}),
    ...(settings.puppetSummaryPath ? { summaryPath: settings.puppetSummaryPath } : {}),
  });
  return async (node) => {
    const host = node.managementAddress ?? node.provisioningAddress;
    if (!host) throw new PlinthError('PUPPET_CONNECT', `${node.hostname}: no management address to start Puppet at`, { details: { nodeId: node.nodeId } });
    const target = { certname: node.hostname, ssh: endpoint(settings, host, await readHostKey(deps, node, 'installed', 'PUPPET_HOST_KEY')) };
    const run = await puppet.triggerRun(target);
    const result = await puppet.readRunResult(target, run);
    return { state: result.state, reason: result.reason };
  };
}

/**
 * The SSH-driven step drivers `plinth serve --ssh-key` enables: image push and disk wipe always, Puppet runs
 * with `--puppet-ssh`. Host keys are pinned from the node's own reports.
 * Example: `createStepExecutor({ bmc, ...buildDeployDrivers(settings, { store, runCommand, log }) })`.
 */
export function buildDeployDrivers(settings: DeploySettings, deps: DeployDeps): Pick<StepDrivers, 'deployImage' | 'wipeDisks' | 'runPuppet'> {
  const patient: ConnectedDeps = { ...deps, connect: retryConnect(deps.connect ?? openSshSession) };
  return {
    deployImage: buildDeployImage(settings, patient),
    wipeDisks: buildWipeDisks(settings, patient),
    ...(settings.puppet ? { runPuppet: buildRunPuppet(settings, patient) } : {}),
  };
}
