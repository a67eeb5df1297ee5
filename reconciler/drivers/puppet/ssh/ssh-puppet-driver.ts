import { parse as parseYaml } from 'yaml';
import { createConcurrencyLimiter } from '../../../lib/concurrency-limiter.js';
import { isPlinthError, PlinthError } from '../../../lib/errors.js';
import { silentLogger, type Logger } from '../../../lib/logger.js';
import { quoteShellWord } from '../../../lib/shell-quote.js';
import { openSshSession, type SshConnector, type SshSession } from '../../../lib/ssh-session.js';
import { publishEncFile, removeEncFile } from '../enc-store.js';
import { cleanPuppetOutput, errorLinesOf, interpretRunSummary, outcomeOfExitCode } from '../run-summary.js';
import type { PuppetDriver, PuppetNode, PuppetRun, RunResult } from '../types.js';

export interface SshPuppetDriverOptions {
  /** Folder the Puppet server's exec node terminus (`boot-assets/puppet/plinth-enc.sh`) reads. */
  encDir: string;
  encMode?: number;
  connect?: SshConnector;
  log?: Logger;
  /** Shell command run on the node (or one per node); must honour `--detailed-exitcodes` semantics. */
  runCommand?: string | ((node: PuppetNode) => string);
  /** Where the node's agent writes its summary (Puppet's `lastrunfile`). */
  summaryPath?: string;
  /** Agent runs in flight at once across all nodes (the Puppet server's capacity). */
  maxConcurrentRuns?: number;
  runTimeoutMs?: number;
}

export const DEFAULT_RUN_COMMAND = 'puppet agent --onetime --no-daemonize --detailed-exitcodes --color=false';
/** Debian's puppet 7 keeps `lastrunfile` under /var/cache/puppet/public; Puppet's AIO packages use /opt/puppetlabs/puppet/public. */
export const DEFAULT_SUMMARY_PATH = '/var/cache/puppet/public/last_run_summary.yaml';

/**
 * Puppet hand-off through ENC files and agent runs over SSH.
 * Example: `const puppet = createSshPuppetDriver({ encDir: '/var/lib/plinth/enc', maxConcurrentRuns: 10 })`.
 */
export function createSshPuppetDriver(options: SshPuppetDriverOptions): PuppetDriver {
  const limiter = createConcurrencyLimiter(options.maxConcurrentRuns ?? 10);
  const log = options.log ?? silentLogger();
  const store = { encDir: options.encDir, mode: options.encMode };
  return {
    publishEnc: async (certname, encYaml, publish = {}) => {
      const result = await publishEncFile(store, certname, encYaml, publish.dryRun ?? false);
      if (result.changed && !result.dryRun) log.info({ certname, digest: result.digest }, 'ENC published');
      return result;
    },
    removeEnc: (certname) => removeEncFile(store, certname),
    triggerRun: (node) => limiter.run(() => withSession(options, node, (session) => runAgent(options, log, node, session))),
    readRunResult: (node, run) => withSession(options, node, (session) => readSummary(options, node, session, run)),
  };
}

async function withSession<T>(options: SshPuppetDriverOptions, node: PuppetNode, use: (session: SshSession) => Promise<T>): Promise<T> {
  let session: SshSession | undefined;
  try {
    session = await (options.connect ?? openSshSession)(node.ssh);
    return await use(session);
  } catch (error) {
    throw toPuppetError(error, node);
  } finally {
    session?.close();
  }
}

async function runAgent(options: SshPuppetDriverOptions, log: Logger, node: PuppetNode, session: SshSession): Promise<PuppetRun> {
  // The node's own clock dates the run, so a summary is judged fresh or stale without trusting clock sync.
  const clock = await session.exec('date +%s');
  const startedAt = Number.parseInt(clock.stdout.trim(), 10);
  if (clock.exitCode !== 0 || !Number.isFinite(startedAt)) {
    throw new PlinthError('PUPPET_RUN', `Node ${node.certname}: could not read the node's clock`, { details: { certname: node.certname } });
  }
  const configured = options.runCommand ?? DEFAULT_RUN_COMMAND;
  const command = typeof configured === 'string' ? configured : configured(node);
  log.info({ certname: node.certname }, 'puppet run started');
  const result = await session.exec(`${command} 2>&1`, { timeoutMs: options.runTimeoutMs ?? 1_800_000, maxOutputBytes: 512 * 1024 });
  const lines = cleanPuppetOutput(result.stdout);
  const run: PuppetRun = {
    certname: node.certname,
    exitCode: result.exitCode,
    outcome: outcomeOfExitCode(result.exitCode),
    startedAt,
    errors: errorLinesOf(lines),
    outputTail: lines.slice(-40).join('\n'),
  };
  log.info({ certname: node.certname, exitCode: run.exitCode, outcome: run.outcome }, 'puppet run finished');
  return run;
}

async function readSummary(options: SshPuppetDriverOptions, node: PuppetNode, session: SshSession, run?: PuppetRun): Promise<RunResult> {
  const path = options.summaryPath ?? DEFAULT_SUMMARY_PATH;
  const result = await session.exec(`cat ${quoteShellWord(path)}`);
  if (result.exitCode !== 0) {
    // A run that failed outright explains itself better than the missing file does.
    if (run?.outcome === 'run-failed') return interpretRunSummary(undefined, node.certname, run);
    return { certname: node.certname, state: 'failed', reason: `the node has no last run summary at ${path}` };
  }
  let summary: unknown;
  try {
    summary = parseYaml(result.stdout);
  } catch {
    summary = undefined;
  }
  return interpretRunSummary(summary, node.certname, run);
}

function toPuppetError(error: unknown, node: PuppetNode): unknown {
  if (!isPlinthError(error) || !error.code.startsWith('SSH_')) return error;
  const code = error.code === 'SSH_HOST_KEY' || error.code === 'SSH_HOST_KEY_INVALID' ? 'PUPPET_HOST_KEY' : 'PUPPET_CONNECT';
  return new PlinthError(code, `Node ${node.certname}: ${error.message}`, {
    cause: error,
    transient: error.transient,
    details: { ...error.details, certname: node.certname, sshCode: error.code },
  });
}
