import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { startPlinth, type ServeSettings } from '../../api/serve.js';
import type { BootSettings } from '../../drivers/boot/types.js';
import type { DnsmasqSettings } from '../../drivers/dhcp/index.js';
import { UsageError } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';

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
    ...(flags.encDir ? { encDir: resolve(flags.encDir) } : {}),
    ...(flags.ipmiCipherSuite ? { ipmiCipherSuite: flags.ipmiCipherSuite } : {}),
  };
}

function buildSignaturePolicy(flags: ServeFlags): Pick<ServeSettings, 'signatures'> {
  if (flags.allowedSigners !== undefined && flags.gnupgHome !== undefined) throw new UsageError('give at most one of --allowed-signers and --gnupg-home');
  if (flags.allowedSigners !== undefined) return { signatures: { kind: 'ssh', allowedSignersFile: resolve(flags.allowedSigners) } };
  if (flags.gnupgHome !== undefined) return { signatures: { kind: 'openpgp', gnupgHome: resolve(flags.gnupgHome) } };
  return {};
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
    .option('--cluster <name>', 'cluster name for commits too broken to name their own', 'cluster')
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
    .action(async (flags: ServeFlags) => {
      const log = createLogger();
      const plinth = await startPlinth(await buildServeSettings(flags, process.env), log);
      const signal = await waitForStopSignal();
      log.info({ signal }, 'stopping');
      await plinth.stop();
      process.exitCode = 0;
    });
}
