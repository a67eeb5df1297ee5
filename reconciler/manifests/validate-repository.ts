import type { ReportProgress } from '../lib/progress.js';
import { compareProblems, hasErrors, type Problem } from '../lib/problems.js';
import { buildDesiredState, type DesiredState, type LocatedManifest } from './desired-state.js';
import type { FileSelection } from './find-manifest-files.js';
import type { Manifest, Role } from './kinds/index.js';
import { loadRepository, loadText, type LoadedRepository } from './load-repository.js';
import { findBuiltinRoleDirectory, loadRoleCatalog } from './role-catalog.js';
import { createRuleContext, runRules } from './rules/index.js';

export interface ValidateOptions extends FileSelection {
  /** Built-in roles; read from the package's `roles/` when absent. */
  builtinRoles?: ReadonlyMap<string, Role>;
  /** The commit the repository was read at, carried into the desired state. */
  revision?: string;
  /** Told when loading and validating start, with file and manifest counts (CLI progress display). */
  onProgress?: ReportProgress;
}

export interface ValidationResult {
  /** Present only when there is no error (warnings allowed). */
  desired?: DesiredState;
  /** Every problem, sorted by file, line, column. */
  problems: Problem[];
  /** The files read, relative to the root. */
  files: string[];
  /** How many manifests (non-empty documents) they hold. */
  manifestCount: number;
}

/** Sorted, and without the exact repeats that two rules seeing one mistake could produce. */
function settleProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return [...problems].sort(compareProblems).filter((problem) => {
    const key = `${problem.file}:${problem.line}:${problem.col}:${problem.rule}:${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The pure part of validation: semantic rules over loaded documents, then the desired state if all is well. */
export function validateLoaded(loaded: LoadedRepository, builtinRoles: ReadonlyMap<string, Role>, revision?: string): ValidationResult {
  const context = createRuleContext(loaded.documents, builtinRoles);
  const problems = settleProblems([...loaded.problems, ...runRules(context)]);
  const facts = { problems, files: loaded.files, manifestCount: loaded.documents.length };
  if (hasErrors(problems)) return facts;
  const manifests: LocatedManifest[] = loaded.documents.map((document) => ({ manifest: document.value as Manifest, source: document.source }));
  return { desired: buildDesiredState(manifests, builtinRoles, revision), ...facts };
}

/** Loads texts given in memory (file → content), as `loadRepository` would read them from disk. */
export function loadTexts(files: ReadonlyMap<string, string>): LoadedRepository {
  const merged: LoadedRepository = { files: [], documents: [], problems: [] };
  for (const [file, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const loaded = loadText(file, text);
    merged.files.push(file);
    merged.documents.push(...loaded.documents);
    merged.problems.push(...loaded.problems);
  }
  return merged;
}

/**
 * Validates a cluster repository: YAML syntax, schemas, then every semantic rule, and builds the desired
 * state when nothing is wrong. Example: `const { desired, problems } = await validateRepository('cluster-repo-example')`.
 * Throws `UsageError` only when the repository cannot be read at all.
 */
export async function validateRepository(root: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  const catalog = options.builtinRoles ? { roles: options.builtinRoles, problems: [] } : await loadRoleCatalog(findBuiltinRoleDirectory());
  options.onProgress?.({ phase: 'load manifests' });
  const loaded = await loadRepository(root, options, options.onProgress);
  options.onProgress?.({ phase: 'load manifests', done: loaded.files.length, total: loaded.files.length, unit: 'files' });
  options.onProgress?.({ phase: 'validate', total: loaded.documents.length, unit: 'manifests' });
  const result = validateLoaded(loaded, catalog.roles, options.revision);
  if (catalog.problems.length === 0) return result;
  // A broken built-in catalog is reported with the repository's problems, and makes it invalid.
  return { ...result, desired: undefined, problems: settleProblems([...catalog.problems, ...result.problems]) };
}
