import type { CompileResult, EncValue } from '../../reconciler/compile/types.js';

/** Dotted paths (`classes.<class>.<param>`, `parameters.plinth_topology.messaging`) whose values differ. */
export function diffEncValues(before: EncValue | undefined, after: EncValue | undefined, path = ''): string[] {
  const isMap = (value: EncValue | undefined): value is Record<string, EncValue> => typeof value === 'object' && !Array.isArray(value);
  if (isMap(before) && isMap(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffEncValues(before[key], after[key], path === '' ? key : `${path}.${key}`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [path];
}

/** hostname → changed paths, for every machine present in both compiles whose ENC changed. */
export function diffCompiles(before: CompileResult, after: CompileResult): Map<string, string[]> {
  const old = new Map(before.targets.map((target) => [target.nodeId, target]));
  const changes = new Map<string, string[]>();
  for (const target of after.targets) {
    const previous = old.get(target.nodeId);
    if (!previous) continue;
    const paths = diffEncValues(previous.enc as unknown as EncValue, target.enc as unknown as EncValue);
    if (paths.length > 0) changes.set(target.hostname, paths);
  }
  return changes;
}
