import { join } from 'node:path';
import { createReportSignals } from '../apply/report-signals.js';
import { createStepExecutor, type StepDrivers } from '../apply/driver-steps.js';
import type { StepExecutor } from '../apply/types.js';
import { createCompiler } from '../compile/compile.js';
import { prepareIpmitoolHome } from '../drivers/bmc/ipmitool/index.js';
import { createBmcClient } from '../drivers/bmc/registry.js';
import { dhcpDrivers, loadDnsmasqTemplate, type DnsmasqSettings } from '../drivers/dhcp/index.js';
import { publishEncFile } from '../drivers/puppet/enc-store.js';
import { sleepUnlessAborted } from '../lib/abortable-sleep.js';
import { runCommand } from '../lib/command.js';
import { isPlinthError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { GitNotesWriter } from '../report/git-notes-writer.js';
import { resolveSecretReference } from '../secrets/resolve-reference.js';
import { createGit } from '../source/git-client.js';
import { GitSource } from '../source/git-source.js';
import { createCommitVerifier, type SignaturePolicy } from '../source/verify-commit.js';
import type { ControllerStore } from '../store/controller-types.js';
import type { Store } from '../store/types.js';
import { Controller } from './controller.js';
import { buildDeployDrivers, type DeploySettings } from './deploy-drivers.js';
import { ControllerMetrics } from './metrics.js';
import { reconcileRevision } from './reconcile-revision.js';
import { withCommitStatuses, type ForgeSettings } from './status-publisher.js';

export interface ControllerSettings {
  /** Remote URL or path of the cluster repository. */
  repo: string;
  branch: string;
  dataDir: string;
  /** Cluster name used for a commit too broken to name its own. */
  cluster: string;
  pollIntervalMs: number;
  /** dnsmasq settings of the provisioning network; without them DHCP steps are skipped. */
  dnsmasq?: DnsmasqSettings;
  /** Folder Puppet's ENC script reads; defaults to `<data>/enc`. */
  encDir?: string;
  /** ipmitool cipher suite (`-C`); simulators need 3. */
  ipmiCipherSuite?: string;
  /** Write git notes on the applied commits and push them (default true). */
  notes: boolean;
  env: Readonly<Record<string, string | undefined>>;
  secretsDir: string;
  /** When set, a head without a trusted signature is never applied. */
  signatures?: SignaturePolicy;
  /** Post commit statuses to this forge (pending at pick-up, then the outcome); none without it. */
  forge?: ForgeSettings;
  /** With the controller's SSH key: image push and disk wipe (and Puppet runs when `puppet`); without, those steps are skipped. */
  deploy?: Omit<DeploySettings, 'dataDir' | 'encDir'>;
}

/** BMC failures are counted for /metrics by their error code, whatever step they broke. */
function countBmcErrors(execute: StepExecutor, metrics: ControllerMetrics): StepExecutor {
  return async (step, context) => {
    try {
      return await execute(step, context);
    } catch (error) {
      if (step.op === 'power' || step.op === 'boot-device') metrics.countBmcError(isPlinthError(error) ? error.code : 'UNKNOWN');
      throw error;
    }
  };
}

async function buildDrivers(settings: ControllerSettings, store: Store, log: Logger): Promise<StepDrivers> {
  const home = await prepareIpmitoolHome(join(settings.dataDir, 'ipmitool-home'));
  const bmc = createBmcClient({ runCommand, ipmitool: { home, ...(settings.ipmiCipherSuite ? { cipherSuite: settings.ipmiCipherSuite } : {}) } });
  const dhcp = settings.dnsmasq ? dhcpDrivers.dnsmasq({ settings: settings.dnsmasq, template: await loadDnsmasqTemplate(), log }) : undefined;
  const encDir = settings.encDir ?? join(settings.dataDir, 'enc');
  const deploy = settings.deploy ? buildDeployDrivers({ ...settings.deploy, dataDir: settings.dataDir, encDir }, { store, runCommand, log }) : {};
  return {
    bmc,
    ...(dhcp ? { dhcp } : {}),
    ...deploy,
    publishEnc: async (certname, encYaml) => publishEncFile({ encDir }, certname, encYaml),
    signals: createReportSignals(store, sleepUnlessAborted),
  };
}

/**
 * Wires the controller from settings: Git source and clone under the data directory, drivers, notes
 * writer, and the reconcile pipeline over both stores.
 */
export async function buildController(settings: ControllerSettings, stores: { store: Store; controllerStore: ControllerStore }, log: Logger): Promise<{ controller: Controller; metrics: ControllerMetrics; closeDrivers: () => Promise<void>; flushStatuses: (withinMs: number) => Promise<void> }> {
  const workDir = join(settings.dataDir, 'repo');
  const verifyCommit = settings.signatures ? createCommitVerifier(settings.signatures) : undefined;
  const source = new GitSource({ remoteUrl: settings.repo, branch: settings.branch, workDir, ...(verifyCommit ? { verifyCommit } : {}) });
  const metrics = new ControllerMetrics();
  const drivers = await buildDrivers(settings, stores.store, log);
  const execute = countBmcErrors(createStepExecutor(drivers), metrics);
  const compiler = createCompiler();
  const notes = settings.notes ? new GitNotesWriter({ repoPath: workDir, identity: { name: 'plinth', email: 'plinth@localhost' } }) : undefined;
  const resolveSecret = (reference: Parameters<typeof resolveSecretReference>[0]) => resolveSecretReference(reference, { env: settings.env, secretsDir: settings.secretsDir });
  const { options, flushStatuses } = withCommitStatuses(settings, log, {
    source,
    metrics,
    log,
    pollIntervalMs: settings.pollIntervalMs,
    readCommitMessage: async (sha) => createGit(workDir).raw(['log', '-1', '--format=%B', sha]),
    reconcile: (input, control) =>
      reconcileRevision(input, {
        ...stores, compiler, execute, resolveSecret, metrics, log,
        now: () => new Date().toISOString(), sleep: sleepUnlessAborted,
        isCurrent: control.isCurrent, signal: control.signal, fallbackCluster: settings.cluster, newMachines: control.newMachines,
      }),
    ...(notes ? { publish: async (sha: string, _summary: unknown, note: string) => void (await notes.writeNote(sha, note)) } : {}),
  });
  const controller = new Controller(options);
  // BMC sessions end with an `exit`, which closes them on the BMC too.
  return { controller, metrics, closeDrivers: async () => drivers.bmc?.close?.(), flushStatuses };
}
