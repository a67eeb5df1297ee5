import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanPuppetOutput } from '../../../reconciler/drivers/puppet/run-summary.js';
import { runCommand } from '../../../reconciler/lib/command.js';
import type { Role } from '../../../reconciler/manifests/kinds/index.js';

/**
 * Puppet test modules generated from the role catalog: each role's class declares every catalog parameter
 * with its Puppet type and no default, so `puppet apply` fails on a missing class, a missing or unknown
 * parameter, or a value of the wrong type — the checks that `puppet node find` does not make.
 */
const PUPPET_TYPES: Record<string, string> = {
  string: 'String',
  integer: 'Integer',
  boolean: 'Boolean',
  array: 'Array[String]',
  secret: 'String[1]',
};

export function renderRoleClass(role: Role): string {
  const parameters = Object.entries(role.spec.parameters ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, declaration]) => `  ${PUPPET_TYPES[declaration.type] ?? 'Any'} $${name},`);
  return [
    `# Test class for role ${role.metadata.name}, generated from roles/${role.metadata.name}.yaml.`,
    `class ${role.spec.puppetClass}(`,
    ...parameters,
    ') {',
    // Top-scope ENC parameters are read too, so a run proves they arrived.
    `  notify { "plinth-enc ${role.metadata.name} \${hostname} role=\${::plinth_role} wave=\${::plinth_install_wave} zone=\${::plinth_availability_zone}": }`,
    '}',
    '',
  ].join('\n');
}

export interface EncPuppetSandbox {
  dir: string;
  /** Writes an external_nodes script that runs `command` with the certname appended, and returns its path. */
  writeEncScript(name: string, command: string): Promise<string>;
  apply(certname: string, encScript: string): Promise<{ exitCode: number; lines: string[] }>;
  cleanup(): Promise<void>;
}

/** A self-contained Puppet confdir, code and vardir in one temp folder, with the generated role classes. */
export async function createEncPuppetSandbox(roles: Iterable<Role>): Promise<EncPuppetSandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-enc-puppet-'));
  const confdir = join(dir, 'confdir');
  const environment = join(dir, 'code', 'environments', 'production');
  const classDir = join(environment, 'modules', 'plinth', 'manifests', 'role');
  for (const folder of [confdir, join(environment, 'manifests'), classDir, join(dir, 'bin')]) await mkdir(folder, { recursive: true });
  const settings = ['codedir = code', 'environmentpath = code/environments', 'vardir = var', 'ssldir = ssl', 'logdir = log', 'rundir = run', 'publicdir = public'];
  await writeFile(join(confdir, 'puppet.conf'), `[main]\n${settings.map((line) => line.replace('= ', `= ${dir}/`)).join('\n')}\n`);
  const sitePp = join(environment, 'manifests', 'site.pp');
  await writeFile(sitePp, 'node default {}\n');
  for (const role of roles) {
    const className = role.spec.puppetClass.split('::').at(-1) ?? role.metadata.name;
    if (role.spec.puppetClass.startsWith('plinth::role::')) await writeFile(join(classDir, `${className}.pp`), renderRoleClass(role));
  }
  return {
    dir,
    writeEncScript: async (name, command) => {
      const path = join(dir, 'bin', name);
      await writeFile(path, `#!/bin/sh\n${command} "$1"\n`);
      await chmod(path, 0o755);
      return path;
    },
    apply: async (certname, encScript) => {
      const args = ['apply', '--confdir', confdir, '--node_terminus', 'exec', '--external_nodes', encScript, '--certname', certname, '--detailed-exitcodes', '--color=false', sitePp];
      const result = await runCommand('puppet', args, { timeoutMs: 120_000 });
      return { exitCode: result.exitCode, lines: cleanPuppetOutput(`${result.stdout}\n${result.stderr}`) };
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
