import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findAssetFile } from './asset-files.js';

describe('findAssetFile', () => {
  let dir: string;
  let root: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-assets-'));
    root = join(dir, 'assets');
    await mkdir(join(root, 'discovery'), { recursive: true });
    await writeFile(join(root, 'discovery', 'vmlinuz'), 'kernel');
    await writeFile(join(root, 'my file.txt'), 'spaced');
    await writeFile(join(root, '.hidden'), 'secret');
    await writeFile(join(dir, 'outside'), 'secret');
    await symlink(join(dir, 'outside'), join(root, 'escape'));
    await symlink(join(root, 'discovery', 'vmlinuz'), join(root, 'current'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds a file in a subfolder with its size and type', async () => {
    expect(await findAssetFile(root, 'discovery/vmlinuz')).toMatchObject({ size: 6, contentType: 'application/octet-stream' });
  });

  it('decodes percent-encoded names', async () => {
    expect(await findAssetFile(root, 'my%20file.txt')).toMatchObject({ size: 6, contentType: 'text/plain; charset=utf-8' });
  });

  it('follows a link that stays inside the root', async () => {
    expect(await findAssetFile(root, 'current')).toMatchObject({ path: expect.stringMatching(/discovery\/vmlinuz$/) });
  });

  it.each(['../outside', '..%2Foutside', 'discovery/..%2F..%2Foutside', '%2e%2e/outside', 'escape', '.hidden', 'discovery', 'discovery//vmlinuz', 'absent', '%E0%A4%A', 'a%00b'])(
    'refuses %s',
    async (path) => {
      expect(await findAssetFile(root, path)).toBeUndefined();
    },
  );
});
