import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Problem } from '../lib/problems.js';
import type { Role } from './kinds/index.js';
import { loadRepository } from './load-repository.js';
import { problemAt } from './loaded-document.js';

export interface RoleCatalog {
  roles: Map<string, Role>;
  problems: Problem[];
}

/**
 * Reads the built-in role catalog: one Role manifest per file in `directory` (`roles/` of the package).
 * Problems name files as `roles/<file>` so that they read the same wherever the package is installed.
 */
export async function loadRoleCatalog(directory: string): Promise<RoleCatalog> {
  const { documents, problems } = await loadRepository(directory);
  const prefix = `${basename(directory)}/`;
  const roles = new Map<string, Role>();
  for (const document of documents) {
    if (document.kind !== 'Role') problems.push(problemAt(document, ['kind'], 'role-catalog', 'the role catalog holds only Role manifests'));
    else if (document.valid && document.name !== undefined) roles.set(document.name, document.value as Role);
  }
  return { roles, problems: problems.map((problem) => ({ ...problem, file: prefix + problem.file })) };
}

/** The package's `roles/` folder, found from this module whether it runs from source or from `dist/`. */
export function findBuiltinRoleDirectory(start: string = import.meta.dirname): string {
  let directory = start;
  for (let depth = 0; depth < 6; depth += 1) {
    if (existsSync(join(directory, 'package.json')) && existsSync(join(directory, 'roles'))) return join(directory, 'roles');
    directory = dirname(directory);
  }
  throw new Error(`the built-in role catalog (roles/) was not found above ${start}`);
}
