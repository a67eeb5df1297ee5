import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bootAssetsDir, findPackageRoot } from './package-paths.js';

describe('package paths', () => {
  it('finds the package root from a folder deep inside it', () => {
    const root = findPackageRoot();
    expect(findPackageRoot(join(root, 'reconciler', 'drivers', 'dhcp'))).toBe(root);
  });

  it('finds the boot assets', () => {
    expect(existsSync(join(bootAssetsDir(), 'dnsmasq.conf.tmpl'))).toBe(true);
  });

  it('says where it looked when there is no package above', () => {
    expect(() => findPackageRoot('/proc/self')).toThrow(/not found above \/proc\/self/);
  });
});
