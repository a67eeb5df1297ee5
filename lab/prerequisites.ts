import { existsSync } from 'node:fs';
import { runCommand } from '../reconciler/lib/command.js';

/** The Debian packages the lab drives, and a file each must provide. */
export const LAB_PACKAGES: readonly { name: string; file: string }[] = [
  { name: 'qemu-system-x86', file: '/usr/bin/qemu-system-x86_64' },
  { name: 'qemu-utils', file: '/usr/bin/qemu-img' },
  { name: 'ipxe', file: '/usr/lib/ipxe/undionly.kpxe' },
  { name: 'ovmf', file: '/usr/share/OVMF/OVMF_CODE_4M.fd' },
  { name: 'openipmi', file: '/usr/bin/ipmi_sim' },
  { name: 'ipmitool', file: '/usr/bin/ipmitool' },
  { name: 'dnsmasq-base', file: '/usr/sbin/dnsmasq' },
  { name: 'iproute2', file: '/usr/bin/ip' },
  { name: 'cpio', file: '/usr/bin/cpio' },
  { name: 'binutils', file: '/usr/bin/readelf' },
];

/** Installed packages among `names`, from dpkg's database. */
async function installedPackages(names: readonly string[]): Promise<Set<string>> {
  const result = await runCommand('dpkg-query', ['-W', '-f', '${Package} ${Status}\\n', ...names], { timeoutMs: 30_000 });
  const installed = result.stdout.split('\n').filter((line) => line.endsWith('install ok installed')).map((line) => line.split(' ')[0] ?? '');
  return new Set(installed);
}

/**
 * Every reason the lab cannot start here, each with what to do; empty when it can. The packages are checked
 * by dpkg and by the file they provide (a container may have one without the other).
 */
export async function findMissingPrerequisites(): Promise<string[]> {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push('the lab needs root (network namespaces, taps, BMC port 623): run it with sudo');
  const installed = await installedPackages(LAB_PACKAGES.map((entry) => entry.name)).catch(() => new Set<string>());
  const missing = LAB_PACKAGES.filter((entry) => !installed.has(entry.name) || !existsSync(entry.file)).map((entry) => entry.name);
  if (missing.length > 0) {
    problems.push(`missing Debian packages: ${missing.join(' ')}; install them with: apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  }
  if (!existsSync('/dev/net/tun')) problems.push('/dev/net/tun is missing: QEMU needs it for its tap (modprobe tun)');
  return problems;
}
