import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { readFile } from 'node:fs/promises';
import { describeError, PlinthError, UsageError } from '../lib/errors.js';
import { locateJsonError } from '../lib/locate-json-error.js';
import { InventorySnapshotSchema, type InventorySnapshot } from './snapshot.js';

let compiled: ValidateFunction | undefined;

/** Compiled once: compiling costs far more than validating. */
function getValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020.default({ strict: true, allErrors: true });
    addFormats.default(ajv);
    compiled = ajv.compile(InventorySnapshotSchema);
  }
  return compiled;
}

/** Every schema problem of a candidate snapshot, as `/pointer: message`; empty when it is valid. */
export function checkSnapshot(candidate: unknown): string[] {
  const validate = getValidator();
  const problems = validate(candidate)
    ? []
    : (validate.errors ?? []).map((error) => {
        const extra = error.keyword === 'additionalProperties' ? `: ${String(error.params.additionalProperty)}` : '';
        return `${error.instancePath || '/'}: ${error.message ?? 'is invalid'}${extra}`;
      });
  if (problems.length > 0) return problems;
  // Identities key every later step (pins, quotas, explain), so two entries for one machine are refused.
  const seen = new Set<string>();
  (candidate as InventorySnapshot).nodes.forEach((node, index) => {
    if (seen.has(node.id)) problems.push(`/nodes/${index}/id: machine ${JSON.stringify(node.id)} is listed twice`);
    seen.add(node.id);
  });
  return problems;
}

/**
 * Reads an inventory snapshot file (`plinth inventory export`) and checks it against its schema. A file
 * that is not JSON fails with its line and column; a snapshot that breaks the schema fails with every
 * problem located by JSON pointer. Example: `const snapshot = await readSnapshot('inventory.json')`.
 */
export async function readSnapshot(file: string): Promise<InventorySnapshot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the inventory snapshot ${file}: ${describeError(error)}`, { cause: error });
  }
  const syntax = locateJsonError(text);
  if (syntax) {
    throw new PlinthError('SNAPSHOT_INVALID', `${file}:${syntax.line}:${syntax.column}: not valid JSON: ${syntax.message}`, { details: { exitCode: 1 } });
  }
  const candidate = JSON.parse(text) as unknown;
  const problems = checkSnapshot(candidate);
  if (problems.length > 0) {
    throw new PlinthError('SNAPSHOT_INVALID', `${file} is not a valid inventory snapshot:\n  ${problems.join('\n  ')}`, { details: { exitCode: 1, problems } });
  }
  return candidate as InventorySnapshot;
}
