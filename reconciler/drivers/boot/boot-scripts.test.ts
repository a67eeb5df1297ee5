import { beforeAll, describe, expect, it } from '@jest/globals';
import { createIpxeBootDriver, loadBootTemplates, type BootTemplates } from './boot-scripts.js';
import { chooseBootTarget } from './choose-boot-target.js';
import type { BootSettings } from './types.js';

const settings: BootSettings = {
  controllerUrl: 'http://10.250.0.1:8080/',
  discovery: { kernel: 'discovery/vmlinuz', initrd: 'discovery/initrd.gz' },
  deploy: { kernel: 'deploy/vmlinuz', initrd: 'deploy/initrd.gz', kernelArgs: 'ip=dhcp' },
  kernelArgs: 'console=ttyS0,115200 panic=30',
};
const token = 'tok_0123456789abcdefXYZ';

describe('iPXE boot scripts', () => {
  let templates: BootTemplates;
  beforeAll(async () => {
    templates = await loadBootTemplates();
  });

  it('boots an unknown node into discovery with controller URL, token and initrd= on the kernel line', () => {
    const script = createIpxeBootDriver(settings, templates).renderScript({ mac: '52-54-00-AA-00-01', target: 'discovery', token });

    expect(script.startsWith('#!ipxe\n')).toBe(true);
    expect(script).toContain(
      'kernel http://10.250.0.1:8080/boot/assets/discovery/vmlinuz initrd=initrd.gz console=ttyS0,115200 panic=30 plinth.mode=discovery ' +
        'plinth.url=http://10.250.0.1:8080 plinth.report_url=http://10.250.0.1:8080/v1/reports ' +
        `plinth.token=${token} plinth.mac=52:54:00:aa:00:01 || goto failed\n`,
    );
    expect(script).toContain('initrd http://10.250.0.1:8080/boot/assets/discovery/initrd.gz || goto failed\n');
    expect(script).toContain('boot || goto failed\n');
  });

  it('boots a provisioning node into the deploy environment with its own arguments', () => {
    const script = createIpxeBootDriver(settings, templates).renderScript({ mac: '52:54:00:aa:00:01', target: 'deploy', token });
    expect(script).toContain('kernel http://10.250.0.1:8080/boot/assets/deploy/vmlinuz initrd=initrd.gz console=ttyS0,115200 panic=30 ip=dhcp plinth.mode=deploy');
    expect(script).toContain('initrd http://10.250.0.1:8080/boot/assets/deploy/initrd.gz');
  });

  it('boots an installed node from disk: exit under UEFI, sanboot of the first disk under BIOS', () => {
    const script = createIpxeBootDriver(settings, templates).renderScript({ mac: '52:54:00:aa:00:01', target: 'local' });
    expect(script).toContain('iseq ${platform} efi && exit ||\n');
    expect(script).toContain('sanboot --no-describe --drive 0x80 || exit\n');
    expect(script).not.toContain('kernel');
  });

  it('fetches assets from a separate URL when one is configured', () => {
    const driver = createIpxeBootDriver({ ...settings, assetsUrl: 'http://10.250.0.2/assets' }, templates);
    expect(driver.renderScript({ mac: '52:54:00:aa:00:01', target: 'discovery', token })).toContain('kernel http://10.250.0.2/assets/discovery/vmlinuz ');
  });

  it.each([undefined, 'short', 'has space in it padded', 'dollar${x}0123456789'])('refuses the token %p for a network boot', (badToken) => {
    const driver = createIpxeBootDriver(settings, templates);
    expect(() => driver.renderScript({ mac: '52:54:00:aa:00:01', target: 'discovery', token: badToken })).toThrow(
      expect.objectContaining({ code: 'BOOT_INVALID_REQUEST' }),
    );
  });

  it('refuses settings that would break the script, listing every problem', () => {
    const bad = { ...settings, controllerUrl: 'http://x/ "y"', discovery: { kernel: '../etc/passwd', initrd: 'a b' } };
    expect(() => createIpxeBootDriver(bad, templates)).toThrow(/controllerUrl.*discovery.kernel.*discovery.initrd/);
  });

  it('renders a retry script when the boot decision is unavailable', () => {
    expect(createIpxeBootDriver(settings, templates).renderRetryScript('52:54:00:aa:00:01')).toMatch(/^#!ipxe\n[\s\S]*sleep 10\nreboot\n$/);
  });
});

describe('chooseBootTarget', () => {
  it.each([
    ['unknown', 'discovery'],
    ['discovering', 'discovery'],
    ['provisioning', 'deploy'],
    ['installed', 'local'],
    ['active', 'local'],
  ] as const)('boots a %s node into %s', (state, target) => {
    expect(chooseBootTarget(state)).toBe(target);
  });
});
