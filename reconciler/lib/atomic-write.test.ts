import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

describe('writeFileAtomic', () => {
  it('replaces the content and leaves no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plinth-atomic-'));
    const target = join(dir, 'host');
    await writeFile(target, 'old');

    await writeFileAtomic(target, 'new', { mode: 0o600 });

    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['host']);
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it('creates its temporary file in tempDir when one is given', async () => {
    const watched = await mkdtemp(join(tmpdir(), 'plinth-watched-'));
    const staging = await mkdtemp(join(tmpdir(), 'plinth-staging-'));

    await writeFileAtomic(join(watched, 'aa-bb'), 'x', { tempDir: staging });

    expect(await readdir(watched)).toEqual(['aa-bb']);
    expect(await readdir(staging)).toEqual([]);
  });
});
