import { readFile, rename, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../../../lib/atomic-write.js';
import type { CommandRunner } from '../../../lib/command.js';
import { DhcpError } from '../errors.js';
import { wrapIoError } from './host-store.js';

export interface EnsureConfigResult {
  /** True when the file was (or, in dry-run, would be) replaced; dnsmasq then needs a restart to apply it. */
  changed: boolean;
}

/**
 * Makes `path` hold `content`, a rendered dnsmasq configuration: unchanged content returns early; new content is
 * written beside the target, checked with `dnsmasq --test`, and only then renamed over it, so a configuration
 * dnsmasq would refuse never replaces a working one. Unlike host files, the main file is read only at start.
 * Example: `await ensureDnsmasqConfig('/etc/plinth/dnsmasq.conf', driver.renderConfig(), runCommand)`.
 */
export async function ensureDnsmasqConfig(
  path: string,
  content: string,
  runCommand: CommandRunner,
  options: { dryRun?: boolean } = {},
): Promise<EnsureConfigResult> {
  const current = await readFile(path, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw wrapIoError(error, 'read configuration', path);
  });
  if (current === content) return { changed: false };
  if (options.dryRun) return { changed: true };
  const candidate = `${path}.candidate`;
  await writeFileAtomic(candidate, content).catch((error: unknown) => {
    throw wrapIoError(error, 'write configuration', candidate);
  });
  try {
    const check = await runCommand('dnsmasq', ['--test', '-C', candidate], { timeoutMs: 10_000 });
    if (check.exitCode !== 0) {
      const reason = (check.stderr || check.stdout).trim().replace(candidate, path);
      throw new DhcpError('DHCP_CONFIG_INVALID', `dnsmasq refuses the configuration: ${reason}`, { details: { path, exitCode: check.exitCode } });
    }
    await rename(candidate, path).catch((error: unknown) => {
      throw wrapIoError(error, 'replace configuration', path);
    });
  } finally {
    await rm(candidate, { force: true });
  }
  return { changed: true };
}
