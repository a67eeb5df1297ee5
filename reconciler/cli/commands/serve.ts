import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { startPlinth, type ServeSettings } from '../../api/serve.js';
import type { BootSettings } from '../../drivers/boot/types.js';
import type { DnsmasqSettings } from '../../drivers/dhcp/index.js';
import { UsageError } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import { readPrivateKeyFile } from '../../lib/read-private-key.js';

interface ServeFlags {
  repo: string;
  branch: string;
  data: string;
  listen: string;
  cluster: string;
  pollInterval: string;
  webhookSecretEnv?: string;
  dnsmasqSettings?: string;
  encDir?: string;
  ipmiCipherSuite?: string;
  notes: boolean;
  secretsDir?: string;
  encListen?: string;
  encServerName: string[];
  encServerAddress: string[];
  puppetServer: string[];
  bootSettings?: string;
  bootAssets?: string;
  allowedSigners?: string;
  gnupgHome?: string;
  forge?: string;
  forgeUrl?: string;
  forgeRepo?: string;
  forgeTokenEnv?: string;
  forgeTargetUrl?: string;
  sshKey?: string;
  sshPort?: string;
  puppetSsh?: boolean;
  reportWorkers?: string;
}

/** `HOST:PORT` (IPv6 hosts in brackets) → parts; a port of 0 picks a free one. */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[(?<v6>[^\]]+)\]|(?<host>[^:]+)):(?<port>\d{1,5})$/.exec(text);
  const port = Number(match?.groups?.['port']);
  const host = match?.groups?.['v6'] ?? match?.groups?.['host'];
  if (!match || host === undefined || port > 65535) throw new UsageError(`--listen must be HOST:PORT, got "${text}"`);
  return { host, port };
}

async function readJsonFile<T>(path: string | undefined, what: string): Promise<T | undefined> {
  if (path === undefined) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

function buildEndpoints(flags: ServeFlags, dataDir: string, bootSettings: BootSettings | undefined): Pick<ServeSettings, 'enc' | 'boot'> {
  const enc = flags.encListen === undefined ? undefined : {
    listen: parseListen(flags.encListen), serverNames: flags.encServerName, serverAddresses: flags.encServerAddress, puppetServerNames: flags.puppetServer,
  };
  const boot = bootSettings === undefined ? undefined : { settings: bootSettings, assetsDir: resolve(flags.bootAssets ?? join(dataDir, 'boot-assets')) };
  return { ...(enc ? { enc } : {}), ...(boot ? { boot } : {}) };
}

/** Flags → settings; secrets come from the environment variable the flags name, never from a flag's value. */
export async function buildServeSettings(flags: ServeFlags, env: Readonly<Record<string, string | undefined>>): Promise<ServeSettings> {
  const pollSeconds = Number(flags.pollInterval);
  if (!Number.isFinite(pollSeconds) || pollSeconds < 1) throw new UsageError(`--poll-interval must be a number of seconds ≥ 1, got "${flags.pollInterval}"`);
  const secret = flags.webhookSecretEnv === undefined ? undefined : env[flags.webhookSecretEnv];
  if (flags.webhookSecretEnv !== undefined && !secret) throw new UsageError(`environment variable ${flags.webhookSecretEnv} (webhook secret) is not set`);
  const dnsmasq = await readJsonFile<DnsmasqSettings>(flags.dnsmasqSettings, 'dnsmasq settings');
  const bootSettings = await readJsonFile<BootSettings>(flags.bootSettings, 'boot settings');
  const dataDir = resolve(flags.data);
  // A local path becomes an absolute one: the controller's clone lives elsewhere and resolves it from there.
  const repo = /^[a-z][a-z0-9+.-]*:\/\//i.test(flags.repo) || isAbsolute(flags.repo) || flags.repo.includes('@') ? flags.repo : resolve(flags.repo);
  return {
    repo,
    branch: flags.branch,
    dataDir,
    cluster: flags.cluster,
    pollIntervalMs: pollSeconds * 1000,
    listen: parseListen(flags.listen),
    webhookSecrets: secret ? [secret] : [],
    notes: flags.notes,
    env,
    secretsDir: flags.secretsDir ?? resolve(dataDir, 'secrets'),
    ...(dnsmasq ? { dnsmasq } : {}),
    ...buildEndpoints(flags, dataDir, bootSettings),
    ...buildSignaturePolicy(flags),
    ...buildForgeSettings(flags, env),
    ...(flags.encDir ? { encDir: resolve(flags.encDir) } : {}),
    ...(flags.ipmiCipherSuite ? { ipmiCipherSuite: flags.ipmiCipherSuite } : {}),
    ...(await buildDeploySettings(flags)),
    ...buildReportWorkers(flags),
  };
}

function buildReportWorkers(flags: ServeFlags): Pick<ServeSettings, 'reportAnalysisWorkers'> {
  if (flags.reportWorkers === undefined) return {};
  const workers = Number(flags.reportWorkers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError(`--report-workers must be a whole number from 1 to 64, got "${flags.reportWorkers}"`);
  return { reportAnalysisWorkers: workers };
}

/** `--ssh-key` enables image push and disk wipe; `--puppet-ssh` adds Puppet runs over the same key. */
async function buildDeploySettings(flags: ServeFlags): Promise<Pick<ServeSettings, 'deploy'>> {
  if (flags.sshKey === undefined) {
    if (flags.puppetSsh || flags.sshPort !== undefined) throw new UsageError('--puppet-ssh and --ssh-port need --ssh-key');
    return {};
  }
  const port = flags.sshPort === undefined ? 22 : Number(flags.sshPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--ssh-port must be a TCP port, got "${flags.sshPort ?? ''}"`);
  return { deploy: { privateKey: await readPrivateKeyFile(resolve(flags.sshKey)), puppet: flags.puppetSsh ?? false, sshPort: port } };
}

function buildSignaturePolicy(flags: ServeFlags): Pick<ServeSettings, 'signatures'> {
  if (flags.allowedSigners !== undefined && flags.gnupgHome !== undefined) throw new UsageError('give at most one of --allowed-signers and --gnupg-home');
  if (flags.allowedSigners !== undefined) return { signatures: { kind: 'ssh', allowedSignersFile: resolve(flags.allowedSigners) } };
  if (flags.gnupgHome !== undefined) return { signatures: { kind: 'openpgp', gnupgHome: resolve(flags.gnupgHome) } };
  return {};
}

const FORGE_API_ROOTS: Readonly<Record<string, string | undefined>> = { github: 'https://api.github.com', gitlab: undefined, gitea: undefined };

/** Commit statuses: the forge, its API root, the project, and the token read from the variable `--forge-token-env` names. */
export function buildForgeSettings(flags: ServeFlags, env: Readonly<Record<string, string | undefined>>): Pick<ServeSettings, 'forge'> {
  const { forge: kind, forgeRepo: project, forgeTokenEnv: tokenEnv } = flags;
  if (kind === undefined) {
    if (flags.forgeUrl ?? project ?? tokenEnv ?? flags.forgeTargetUrl) throw new UsageError('--forge-url, --forge-repo, --forge-token-env and --forge-target-url need --forge');
    return {};
  }
  if (kind !== 'github' && kind !== 'gitlab' && kind !== 'gitea') throw new UsageError(`--forge must be github, gitlab or gitea, got "${kind}"`);
  const baseUrl = flags.forgeUrl ?? FORGE_API_ROOTS[kind];
  if (baseUrl === undefined || !/^https?:\/\/[^/]/.test(baseUrl)) throw new UsageError(`--forge-url must be the ${kind} API root (http or https URL), got "${baseUrl ?? ''}"`);
  if (project === undefined || (kind !== 'gitlab' && !/^[^/\s]+\/[^/\s]+$/.test(project))) throw new UsageError(`--forge-repo must be ${kind === 'gitlab' ? 'a project id or path' : '"owner/repo"'}, got "${project ?? ''}"`);
  const token = tokenEnv === undefined ? undefined : env[tokenEnv];
  if (tokenEnv === undefined || !token) throw new UsageError(`--forge-token-env must name a set environment variable holding the ${kind} token${tokenEnv ? ` (${tokenEnv} is not set)` : ''}`);
  return { forge: { kind, baseUrl, project, token, ...(flags.forgeTargetUrl ? { targetUrl: flags.forgeTargetUrl } : {}) } };
}

/** Resolves on the first SIGTERM or SIGINT. */
function waitForStopSignal(): Promise<string> {
  return new Promise((done) => {
    const stop = (signal: string): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      done(signal);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('follow a branch of the cluster repository and reconcile every commit; serve the report API, webhook, /metrics and /healthz')
    .requiredOption('--repo <url|path>', 'the cluster repository (any URL git understands, or a local path)')
    .option('--branch <name>', 'branch to follow', 'main')
    .option('--data <dir>', 'where the store, the clone and the ENC files live', '/var/lib/plinth')
    .option('--listen <host:port>', 'HTTP listener for reports, webhook, metrics and status', '127.0.0.1:8080')
    .option('--cluster <name>', 'cluster name: the commit-status context plinth/<name>, and the name of commits too broken to name their own', 'cluster')
    .option('--poll-interval <seconds>', 'how often the remote branch is checked', '60')
    .option('--webhook-secret-env <name>', 'environment variable holding the webhook secret')
    .option('--dnsmasq-settings <file>', 'JSON dnsmasq settings of the provisioning network (DHCP steps are skipped without)')
    .option('--enc-dir <dir>', 'folder Puppet\'s ENC script reads (default <data>/enc)')
    .option('--ipmi-cipher-suite <n>', 'ipmitool -C cipher suite (3 for simulators)')
    .option('--secrets-dir <dir>', 'where relative `passwordFrom: { file }` references are read (default <data>/secrets)')
    .option('--no-notes', 'do not write git notes on applied commits')
    .option('--allowed-signers <file>', 'apply only commits signed by an SSH key listed here (git allowed signers format)')
    .option('--gnupg-home <dir>', 'apply only commits signed by an OpenPGP key of this keyring')
    .option('--enc-listen <host:port>', 'serve ENCs over mutual TLS (cluster CA from the vault) on this listener')
    .option('--enc-server-name <names...>', 'DNS names of the ENC server certificate', ['localhost'])
    .option('--enc-server-address <ips...>', 'IP addresses of the ENC server certificate', ['127.0.0.1'])
    .option('--puppet-server <names...>', 'certificate names of the Puppet server (may read every ENC)', [])
    .option('--boot-settings <file>', 'JSON boot settings (controller URL, discovery and deploy images); enables /boot routes')
    .option('--boot-assets <dir>', 'kernels, initrds and iPXE binaries served under /boot/assets (default <data>/boot-assets)')
    .option('--forge <kind>', 'post commit statuses (plinth/<cluster>) to github, gitlab or gitea')
    .option('--forge-url <url>', 'the forge API root (default https://api.github.com for github)')
    .option('--forge-repo <project>', 'owner/name (github, gitea) or project id or path (gitlab) of the cluster repository')
    .option('--forge-token-env <name>', 'environment variable holding the forge token (never given on the command line)')
    .option('--forge-target-url <url>', 'link shown with each commit status')
    .option('--ssh-key <file>', 'the controller\'s SSH private key (mode 0600): enables image push and disk wipe in the live system')
    .option('--ssh-port <port>', 'SSH port of the live and installed systems (default 22)')
    .option('--report-workers <n>', 'worker threads analysing hardware reports (default: cores - 1, at least 1)')
    .option('--puppet-ssh', 'run Puppet on installed nodes over SSH (needs --ssh-key); without it nodes end `installed`')
    .action(async (flags: ServeFlags) => {
      const log = createLogger();
      const plinth = await startPlinth(await buildServeSettings(flags, process.env), log);
      const signal = await waitForStopSignal();
      log.info({ signal }, 'stopping');
      await plinth.stop();
      process.exitCode = 0;
    });
}
