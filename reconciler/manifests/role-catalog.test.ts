import { describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBuiltinRoleDirectory, loadRoleCatalog } from './role-catalog.js';

describe('built-in role catalog (roles/)', () => {
  it('holds every OCI role, valid against the Role schema', async () => {
    const catalog = await loadRoleCatalog(findBuiltinRoleDirectory());
    expect(catalog.problems).toEqual([]);
    expect([...catalog.roles.keys()].sort()).toEqual(
      ['cephmon', 'cephosd', 'compute', 'controller', 'debmirror', 'dns', 'messaging', 'network', 'sql', 'swiftproxy', 'swiftstore', 'volume'].sort(),
    );
  });

  it('orders install waves as the cluster must come up: Ceph mons, OSDs, messaging, controllers, network, the rest', async () => {
    const { roles } = await loadRoleCatalog(findBuiltinRoleDirectory());
    const wave = (name: string) => roles.get(name)?.spec.installWave ?? Number.NaN;
    expect(wave('cephmon')).toBeLessThan(wave('cephosd'));
    expect(wave('cephosd')).toBeLessThan(wave('messaging'));
    expect(wave('messaging')).toBeLessThan(wave('controller'));
    expect(wave('sql')).toBeLessThan(wave('controller'));
    expect(wave('controller')).toBeLessThan(wave('network'));
    for (const rest of ['compute', 'volume', 'swiftproxy', 'swiftstore', 'dns']) expect(wave('network')).toBeLessThan(wave(rest));
    expect(roles.get('compute')?.spec.puppetClass).toBe('plinth::role::compute');
  });
});

describe('loadRoleCatalog', () => {
  it('rejects anything but Role manifests, naming the file under roles/', async () => {
    const root = await mkdtemp(join(tmpdir(), 'plinth-roles-'));
    const directory = join(root, 'roles');
    try {
      await mkdir(directory);
      await writeFile(join(directory, 'stray.yaml'), 'apiVersion: plinth/v1\nkind: CpuModel\nmetadata: { name: x }\nspec: { mode: host-model }\n');
      const catalog = await loadRoleCatalog(directory);
      expect(catalog.roles.size).toBe(0);
      expect(catalog.problems).toEqual([expect.objectContaining({ rule: 'role-catalog', file: 'roles/stray.yaml', line: 2, col: 7 })]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
