import { dnsmasqPathsIn, type DnsmasqSettings } from '../../reconciler/drivers/dhcp/index.js';

/** Settings for a provisioning network rooted in `dir`, shared by the driver's tests. */
export function buildTestSettings(dir: string, overrides: Partial<DnsmasqSettings> = {}): DnsmasqSettings {
  return {
    interface: 'vsrv',
    network: '10.250.0.0/24',
    serverAddress: '10.250.0.1',
    discoveryRange: { start: '10.250.0.100', end: '10.250.0.199' },
    leaseTime: '1h',
    controllerUrl: 'http://10.250.0.1:8080',
    paths: dnsmasqPathsIn(dir),
    ...overrides,
  };
}
