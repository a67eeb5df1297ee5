import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dhcpDrivers, dnsmasqPathsIn, ensureDnsmasqConfig, loadDnsmasqTemplate, type DnsmasqSettings } from '../reconciler/drivers/dhcp/index.js';
import { runCommand } from '../reconciler/lib/command.js';
import { controllerUrl, LAB_NETWORK, type LabConfig } from './lab-config.js';
import { pollUntil, startDetached } from './processes.js';
import { inNamespace } from './provisioning-network.js';

/** Debian's `ipxe` package: what firmware PXE chain-loads over TFTP before iPXE asks plinth for its script. */
const IPXE_FILES = ['/usr/lib/ipxe/undionly.kpxe', '/usr/lib/ipxe/ipxe.efi', '/usr/lib/ipxe/snponly.efi'];

export function buildDnsmasqSettings(config: LabConfig): DnsmasqSettings {
  const dir = join(config.dir, 'dnsmasq');
  return {
    interface: config.bridge,
    network: LAB_NETWORK,
    serverAddress: config.serverCidr.split('/')[0] ?? '',
    discoveryRange: { start: '10.250.0.100', end: '10.250.0.199' },
    leaseTime: '1h',
    controllerUrl: controllerUrl(config),
    paths: dnsmasqPathsIn(dir),
  };
}

/**
 * Writes dnsmasq's configuration through plinth's DHCP driver (rendered from its template, checked with
 * `dnsmasq --test`), then starts dnsmasq in the foreground inside the namespace; `ip netns exec` execs it in
 * place, so the recorded PID is dnsmasq's. Resolves once dnsmasq logs that it serves the range.
 */
export async function startLabDnsmasq(config: LabConfig, record: (pid: number) => Promise<void>): Promise<void> {
  const settings = buildDnsmasqSettings(config);
  for (const dir of [settings.paths.hostsDir, settings.paths.stagingDir, settings.paths.tftpRoot]) await mkdir(dir, { recursive: true, mode: 0o755 });
  for (const file of IPXE_FILES) await copyFile(file, join(settings.paths.tftpRoot, file.split('/').pop() ?? file));
  const driver = dhcpDrivers.dnsmasq({ settings, template: await loadDnsmasqTemplate() });
  const configPath = join(config.dir, 'dnsmasq', 'dnsmasq.conf');
  await ensureDnsmasqConfig(configPath, driver.renderConfig(), runCommand);
  const [program, args] = inNamespace(config.namespace, 'dnsmasq', ['-k', '-C', configPath]);
  const pid = await startDetached(program, args, join(config.dir, 'dnsmasq', 'dnsmasq.stderr'));
  await record(pid);
  const ready = await pollUntil(async () => ((await readFile(settings.paths.logFile, 'utf8').catch(() => '')).includes('DHCP, IP range') ? true : undefined), 200, 50);
  if (!ready) throw new Error(`dnsmasq did not start serving: ${await readFile(join(config.dir, 'dnsmasq', 'dnsmasq.stderr'), 'utf8').catch(() => '')}`);
}
