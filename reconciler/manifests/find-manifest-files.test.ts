import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findManifestFiles, globToRegExp } from './find-manifest-files.js';

describe('findManifestFiles', () => {
  let root = '';

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'plinth-find-'));
    for (const file of ['b.yaml', 'a.yml', 'nodes/rack-1.yaml', 'nodes/old/rack-0.yaml', '.github/workflow.yaml', 'node_modules/x.yaml', 'README.md']) {
      await mkdir(join(root, file, '..'), { recursive: true });
      await writeFile(join(root, file), 'x: 1\n');
    }
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lists YAML files, sorted, skipping hidden folders and dependencies', async () => {
    expect(await findManifestFiles(root)).toEqual(['a.yml', 'b.yaml', 'nodes/old/rack-0.yaml', 'nodes/rack-1.yaml']);
  });

  it('honours include and exclude globs', async () => {
    expect(await findManifestFiles(root, { include: ['nodes/**'], exclude: ['**/old/*'] })).toEqual(['nodes/rack-1.yaml']);
  });
});

describe('globToRegExp', () => {
  it('lets ** cross folders while * stays in one', () => {
    expect(globToRegExp('**/*.yaml').test('a/b/c.yaml')).toBe(true);
    expect(globToRegExp('**/*.yaml').test('c.yaml')).toBe(true);
    expect(globToRegExp('*.yaml').test('a/c.yaml')).toBe(false);
    expect(globToRegExp('a?.yaml').test('ab.yaml')).toBe(true);
  });
});
