import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { DhcpError } from '../errors.js';
import { createDnsmasqDriver } from './dnsmasq-driver.js';
import { loadDnsmasqTemplate } from './template.js';
import { buildTestSettings } from '../../../../tests/support/dnsmasq-settings.js';

const goldenPath = new URL('./testdata/dnsmasq.conf.golden', import.meta.url);

describe('dnsmasq configuration rendering', () => {
  it('renders the provisioning network as the reviewed golden file', async () => {
    const driver = createDnsmasqDriver({ settings: buildTestSettings('/var/lib/plinth/dhcp'), template: await loadDnsmasqTemplate() });
    expect(driver.renderConfig()).toBe(await readFile(goldenPath, 'utf8'));
  });

  it('sends iPXE to the per-node script URL, letting iPXE fill in its MAC', async () => {
    const settings = buildTestSettings('/srv', { controllerUrl: 'https://plinth.example:8443/' });
    const config = createDnsmasqDriver({ settings, template: await loadDnsmasqTemplate() }).renderConfig();
    expect(config).toContain('dhcp-boot=tag:ipxe,https://plinth.example:8443/boot/${netX/mac:hexhyp}.ipxe\n');
  });

  it('uses the configured boot file names', async () => {
    const settings = buildTestSettings('/srv', { bootFiles: { uefi64: 'snponly.efi' } });
    const config = createDnsmasqDriver({ settings, template: await loadDnsmasqTemplate() }).renderConfig();
    expect(config).toContain('dhcp-boot=tag:!ipxe,tag:efi64,snponly.efi,,10.250.0.1\n');
    expect(config).toContain('dhcp-boot=tag:!ipxe,tag:!efi64,tag:!arm64,undionly.kpxe,,10.250.0.1\n');
  });

  it.each([
    [{ network: '10.250.0.0/33' }, 'network'],
    [{ network: '10.250.0.1/24' }, 'network'],
    [{ network: '10.250.0.0/31' }, 'network'],
    [{ network: 'fd00:250::/64' }, 'network'],
    [{ serverAddress: '10.250.0.255' }, 'serverAddress'],
    [{ serverAddress: '10.250.0.01' }, 'serverAddress'],
    [{ discoveryRange: { start: '10.250.0.200', end: '10.250.0.100' } }, 'after'],
    [{ discoveryRange: { start: '10.250.0.100', end: '10.251.0.1' } }, 'discoveryRange.end'],
    [{ serverAddress: '10.250.0.150' }, 'inside the discovery range'],
    [{ interface: 'eth0\nport=53' }, 'interface'],
    [{ controllerUrl: 'ftp://x' }, 'controllerUrl'],
    [{ leaseTime: '1 hour' }, 'leaseTime'],
  ])('refuses invalid settings %j', async (override, fragment) => {
    const template = await loadDnsmasqTemplate();
    const create = () => createDnsmasqDriver({ settings: buildTestSettings('/srv', override), template });
    expect(create).toThrow(DhcpError);
    expect(create).toThrow(fragment);
  });

  it('refuses a relative or comma-bearing path', async () => {
    const settings = buildTestSettings('/srv');
    settings.paths.hostsDir = 'hosts,d';
    const template = await loadDnsmasqTemplate();
    expect(() => createDnsmasqDriver({ settings, template })).toThrow(/paths.hostsDir/);
  });
});
