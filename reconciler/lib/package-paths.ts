import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding plinth's package.json, found by walking up from this file, so that data folders
 * (`boot-assets/`, `schemas/`, `roles/`) are found from the sources (tsx, jest), from `dist/` and from an
 * installed package alike.
 */
export function findPackageRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let folder = start;
  for (let depth = 0; depth < 10; depth += 1) {
    if (readPackageName(join(folder, 'package.json')) === 'plinth') return folder;
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  throw new Error(`plinth's package.json was not found above ${start}`);
}

function readPackageName(path: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** The `boot-assets/` folder: dnsmasq and iPXE templates, the discovery agent. */
export function bootAssetsDir(): string {
  return join(findPackageRoot(), 'boot-assets');
}
