import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Problem } from '../lib/problems.js';
import { kinds, type KindName } from './kinds/index.js';
import { problemAt, type LoadedDocument } from './loaded-document.js';
import { parseInstancePath, type PathSegment } from './yaml-position.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** One ajv instance and one compiled validator per kind, built on first use: compiling is the slow part. */
let validators: Map<KindName, ValidateFunction> | undefined;

function getValidator(kind: KindName): ValidateFunction {
  if (!validators) {
    const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true, verbose: true }));
    validators = new Map((Object.keys(kinds) as KindName[]).map((name) => [name, ajv.compile(kinds[name])]));
  }
  const validator = validators.get(kind);
  if (!validator) throw new Error(`no schema for kind ${kind}`);
  return validator;
}

interface Located {
  path: PathSegment[];
  message: string;
  atKey: boolean;
}

function describeAllowed(error: ErrorObject): string {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? `; allowed here: ${Object.keys(properties).join(', ')}` : '';
}

function describeError(error: ErrorObject): Located {
  const path = parseInstancePath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: [...path, String(params.additionalProperty)], atKey: true, message: `unknown field \`${String(params.additionalProperty)}\`${describeAllowed(error)}` };
    case 'required':
      return { path, atKey: false, message: `missing required field \`${String(params.missingProperty)}\`` };
    case 'const':
      return { path, atKey: false, message: `must be \`${String(params.allowedValue)}\`` };
    case 'enum':
      return { path, atKey: false, message: `must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'anyOf':
      return { path, atKey: false, message: describeUnion(error) };
    case 'type':
      if (params.type === 'string' && (typeof error.data === 'number' || typeof error.data === 'boolean')) {
        // YAML reads 2024.1, 10de-like ids and yes/no as numbers or booleans unless quoted.
        return { path, atKey: false, message: `must be a string; quote the value ("${String(error.data)}") so that YAML does not read it as a ${typeof error.data}` };
      }
      return { path, atKey: false, message: error.message ?? 'has the wrong type' };
    default: {
      const hint = (error.parentSchema as { description?: string } | undefined)?.description;
      return { path, atKey: false, message: hint ? `${error.message ?? 'is invalid'} (${hint})` : (error.message ?? 'is invalid') };
    }
  }
}

function describeUnion(error: ErrorObject): string {
  const branches = (error.schema as { const?: unknown }[] | undefined) ?? [];
  if (branches.length > 0 && branches.every((branch) => branch.const !== undefined)) {
    return `must be one of: ${branches.map((branch) => String(branch.const)).join(', ')}`;
  }
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  return description ? `does not fit: ${description}` : 'does not match any allowed form';
}

/**
 * A union (`anyOf`) fails with the errors of every branch. When the value is an object, the branch with the
 * fewest errors is what the author meant, so only its errors are kept; otherwise the union speaks for itself.
 */
function pruneUnionErrors(errors: ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((error) => error.keyword === 'anyOf').sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  let kept = errors;
  for (const union of unions) {
    if (!kept.includes(union)) continue;
    const prefix = `${union.schemaPath}/`;
    // The same union applies to every item of an array: only errors about this item's data belong to it.
    const inside = kept.filter(
      (error) => error.schemaPath.startsWith(prefix) && (error.instancePath === union.instancePath || error.instancePath.startsWith(`${union.instancePath}/`)),
    );
    const byBranch = new Map<string, ErrorObject[]>();
    for (const error of inside) {
      const branch = error.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      byBranch.set(branch, [...(byBranch.get(branch) ?? []), error]);
    }
    const isObject = typeof union.data === 'object' && union.data !== null && !Array.isArray(union.data);
    const typeOnly = [...byBranch.values()].every((list) => list.length === 1 && list[0]?.keyword === 'type');
    const [best = [], runnerUp] = [...byBranch.values()].sort((a, b) => a.length - b.length);
    // A tie means no branch is clearly what the author meant: the union's own description says it best.
    const clear = isObject && !typeOnly && (runnerUp === undefined || best.length < runnerUp.length);
    const keep = clear ? new Set(best) : new Set([union]);
    kept = kept.filter((error) => (error !== union && !inside.includes(error)) || keep.has(error));
  }
  return kept;
}

/** Checks a document against its kind's schema; every error is located on the YAML node it concerns. */
export function checkSchema(loaded: LoadedDocument, ignoredPaths: ReadonlySet<string> = new Set()): Problem[] {
  if (!loaded.kind) return [];
  const validate = getValidator(loaded.kind);
  if (validate(loaded.value)) return [];
  return pruneUnionErrors(validate.errors ?? [])
    .map(describeError)
    .filter(({ path }) => !ignoredPaths.has(path.join('/')))
    .map(({ path, message, atKey }) => problemAt(loaded, path, 'schema', message, { atKey }));
}
