import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from '../../reconciler/lib/command.js';
import { joinShellWords } from '../../reconciler/lib/shell-quote.js';
import { cleanPuppetOutput } from '../../reconciler/drivers/puppet/run-summary.js';

/**
 * A self-contained Puppet setup for tests and the lab: a confdir whose every directory (code, vardir, ssldir,
 * publicdir with last_run_summary.yaml) lives in one temp folder, the `production` environment with the
 * `plinth::role::compute` test class, and the ENC folder that `boot-assets/puppet/plinth-enc.sh` reads.
 */
export interface PuppetSandbox {
  dir: string;
  confdir: string;
  encDir: string;
  /** Where the test class writes `<hostname>.conf`; handed to it as the ENC top-scope parameter `out_dir`. */
  outDir: string;
  sitePp: string;
  summaryPath: string;
  encScript: string;
  /** `puppet apply` of site.pp for one certname through the exec node terminus, with detailed exit codes. */
  applyArgs(certname: string): string[];
  /** The same as one shell command line (ENC_DIR set), to run on a "node" over SSH. */
  applyCommand(certname: string): string;
  apply(certname: string): Promise<{ exitCode: number; lines: string[] }>;
  cleanup(): Promise<void>;
}

const COMPUTE_CLASS = `# A role class with typed parameters, as plinth's ENC fills them.
class plinth::role::compute(
  String $hostname,
  Array[String] $addresses,
  Integer[1] $cpu_allocation_ratio = 4,
  Boolean $fail_health_check = false,
) {
  file { "\${::out_dir}/\${hostname}.conf":
    content => "hostname=\${hostname}\\naddresses=\${addresses.join(',')}\\ncpu_allocation_ratio=\${cpu_allocation_ratio}\\n",
  }
  if $fail_health_check {
    exec { 'plinth-health-check': command => '/bin/false' }
  }
}
`;

export async function createPuppetSandbox(repoRoot = process.cwd()): Promise<PuppetSandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-puppet-'));
  const confdir = join(dir, 'confdir');
  const environment = join(dir, 'code', 'environments', 'production');
  const encDir = join(dir, 'enc');
  const outDir = join(dir, 'out');
  const sitePp = join(environment, 'manifests', 'site.pp');
  const encScript = resolve(repoRoot, 'boot-assets/puppet/plinth-enc.sh');
  for (const folder of [confdir, join(environment, 'manifests'), join(environment, 'modules/plinth/manifests/role'), encDir, outDir]) {
    await mkdir(folder, { recursive: true });
  }
  // publicdir is set too: Debian's default (/var/cache/puppet/public) is outside the sandbox.
  const settings = ['codedir = code', 'environmentpath = code/environments', 'vardir = var', 'ssldir = ssl', 'logdir = log', 'rundir = run', 'publicdir = public'];
  await writeFile(join(confdir, 'puppet.conf'), `[main]\n${settings.map((line) => line.replace('= ', `= ${dir}/`)).join('\n')}\n`);
  await writeFile(sitePp, 'node default {}\n');
  await writeFile(join(environment, 'modules/plinth/manifests/role/compute.pp'), COMPUTE_CLASS);
  const applyArgs = (certname: string): string[] => [
    'apply', '--confdir', confdir, '--node_terminus', 'exec', '--external_nodes', encScript,
    '--certname', certname, '--detailed-exitcodes', '--color=false', sitePp,
  ];
  return {
    dir, confdir, encDir, outDir, sitePp, encScript,
    summaryPath: join(dir, 'public', 'last_run_summary.yaml'),
    applyArgs,
    applyCommand: (certname) => `ENC_DIR=${joinShellWords([encDir])} ${joinShellWords(['puppet', ...applyArgs(certname)])}`,
    apply: async (certname) => {
      const result = await runCommand('puppet', applyArgs(certname), { env: { ENC_DIR: encDir }, timeoutMs: 60_000 });
      return { exitCode: result.exitCode, lines: cleanPuppetOutput(`${result.stdout}\n${result.stderr}`) };
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** An ENC for the test class, as plinth's compile stage renders one. */
export function renderComputeEnc(sandbox: PuppetSandbox, hostname: string, classParameters: Record<string, unknown>): string {
  const parameters = Object.entries({ hostname, ...classParameters })
    .map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`)
    .join('\n');
  return `---\nenvironment: production\nclasses:\n  plinth::role::compute:\n${parameters}\nparameters:\n  out_dir: ${JSON.stringify(sandbox.outDir)}\n`;
}
