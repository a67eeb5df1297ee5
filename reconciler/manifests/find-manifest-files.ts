import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface FileSelection {
  /** Glob patterns (relative to the root, `**` and `*`) a file must match; every YAML file when absent. */
  include?: readonly string[];
  /** Glob patterns of files to skip. */
  exclude?: readonly string[];
}

/** `**` crosses folders, `*` and `?` stay within one; everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index] ?? '';
    if (char === '*' && glob[index + 1] === '*') {
      const slash = glob[index + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      index += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const YAML_FILE = /\.ya?ml$/;
/** Folders that never hold manifests: hidden ones (.git, .github) and dependencies. */
const SKIPPED_FOLDER = /^(\.|node_modules$)/;

async function walk(root: string, relative: string, found: string[]): Promise<void> {
  const entries = await readdir(join(root, relative), { withFileTypes: true });
  for (const entry of entries) {
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory() && !SKIPPED_FOLDER.test(entry.name)) await walk(root, path, found);
    else if (entry.isFile() && YAML_FILE.test(entry.name)) found.push(path);
  }
}

/** Every `*.yaml`/`*.yml` under `root` (symbolic links are not followed), relative, with `/`, sorted. */
export async function findManifestFiles(root: string, selection: FileSelection = {}): Promise<string[]> {
  const found: string[] = [];
  await walk(root, '', found);
  const include = selection.include?.map(globToRegExp);
  const exclude = (selection.exclude ?? []).map(globToRegExp);
  return found
    .filter((path) => (!include || include.some((pattern) => pattern.test(path))) && !exclude.some((pattern) => pattern.test(path)))
    .sort();
}
