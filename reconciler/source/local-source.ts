import { watch } from 'chokidar';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findManifestFiles } from '../manifests/find-manifest-files.js';
import type { Revision } from './revision.js';
import type { Source, SyncResult } from './types.js';

/**
 * The digest of a directory's manifests: every YAML file's relative path and bytes, in sorted order,
 * so the same tree always gets the same `local@sha256:` revision wherever it lives.
 */
export async function digestManifestTree(root: string): Promise<string> {
  const hash = createHash('sha256');
  for (const path of await findManifestFiles(root)) {
    const content = await readFile(join(root, path));
    // Length-prefixed fields: no choice of file names can make two different trees hash alike.
    hash.update(`${Buffer.byteLength(path)}:${path}${content.length}:`);
    hash.update(content);
  }
  return hash.digest('hex');
}

/** A working directory used as the source in development: no Git, the revision is the manifests' digest. */
export class LocalDirectorySource implements Source {
  private last: string | undefined;

  constructor(private readonly root: string) {}

  async checkHead(): Promise<Revision> {
    return { branch: 'local', algorithm: 'sha256', digest: await digestManifestTree(this.root) };
  }

  async sync(): Promise<SyncResult> {
    const revision = await this.checkHead();
    const changed = revision.digest !== this.last;
    this.last = revision.digest;
    return { revision, treePath: this.root, changed };
  }
}

export interface WatchOptions {
  /** Quiet time after the last change before `onChange` runs; editors write files in several steps. */
  debounceMs?: number;
}

export interface DirectoryWatch {
  /** Resolves once the initial scan is done and changes are being reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Calls `onChange` (debounced) when a file under `root` is added, changed or removed; hidden folders are ignored. */
export function watchLocalDirectory(root: string, onChange: () => void, options: WatchOptions = {}): DirectoryWatch {
  const watcher = watch(root, { ignoreInitial: true, ignored: (path) => /(^|\/)(\.git|node_modules)(\/|$)/.test(path) });
  let timer: NodeJS.Timeout | undefined;
  const fire = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(onChange, options.debounceMs ?? 200);
  };
  watcher.on('all', fire);
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}
