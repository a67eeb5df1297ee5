import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestManifestTree, LocalDirectorySource, watchLocalDirectory } from '../../reconciler/source/local-source.js';
import { formatRevision } from '../../reconciler/source/revision.js';

describe('local directory source', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'plinth-local-'));
    await mkdir(join(root, 'nodes'));
    await writeFile(join(root, 'cluster.yaml'), 'kind: Cluster\n');
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('names the tree local@sha256:<digest of its manifests>', async () => {
    const revision = await new LocalDirectorySource(root).checkHead();
    expect(formatRevision(revision)).toMatch(/^local@sha256:[0-9a-f]{64}$/);
  });

  it('gives the same digest to the same manifests in another directory, ignoring other files', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'plinth-local-copy-'));
    try {
      await writeFile(join(copy, 'cluster.yaml'), 'kind: Cluster\n');
      await writeFile(join(copy, 'README.md'), 'not a manifest\n');
      expect(await digestManifestTree(copy)).toBe(await digestManifestTree(root));
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('reports a change only when a manifest changed', async () => {
    const source = new LocalDirectorySource(root);
    expect((await source.sync()).changed).toBe(true);
    expect((await source.sync()).changed).toBe(false);
    await writeFile(join(root, 'nodes/n1.yaml'), 'kind: Node\n');
    expect((await source.sync()).changed).toBe(true);
  });

  it('calls back once for a burst of edits', async () => {
    let calls = 0;
    let notify: () => void = () => undefined;
    const called = new Promise<void>((resolve) => (notify = resolve));
    const watcher = watchLocalDirectory(root, () => {
      calls += 1;
      notify();
    }, { debounceMs: 300 });
    try {
      await watcher.ready;
      for (let index = 0; index < 5; index += 1) await writeFile(join(root, 'nodes/n2.yaml'), `kind: Node # ${index}\n`);
      await called;
      expect(calls).toBe(1);
    } finally {
      await watcher.close();
    }
  });
});
