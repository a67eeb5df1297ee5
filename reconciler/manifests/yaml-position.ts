import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** A segment of a path inside a document: a mapping key or a sequence index. */
export type PathSegment = string | number;

export interface Position {
  line: number;
  col: number;
}

/** Turns a character offset into a 1-based line and column. */
export function positionAt(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line, col };
}

function childOf(node: unknown, segment: PathSegment): { key?: Node; value?: Node } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
    return pair ? { key: pair.key as Node, value: (pair.value ?? undefined) as Node | undefined } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { value: item as Node };
  }
  return undefined;
}

/**
 * Finds where `path` sits in a parsed YAML document: the value's position, or the key's when `atKey`
 * (an unknown field is best shown at its name). Falls back to the deepest node that exists, so that a
 * problem always has a place, e.g. a missing field is reported on the mapping that lacks it.
 */
export function locatePath(document: Document, lineCounter: LineCounter, path: readonly PathSegment[], atKey = false): Position {
  let node: unknown = document.contents;
  let found = node as Node | null;
  for (const [index, segment] of path.entries()) {
    const child = childOf(node, segment);
    if (!child) break;
    const last = index === path.length - 1;
    if (last && atKey && child.key) {
      found = child.key;
      break;
    }
    // A key with no value (`field:`) has no node of its own: point at the key.
    node = child.value;
    found = child.value ?? child.key ?? found;
  }
  const offset = found?.range?.[0] ?? 0;
  return positionAt(lineCounter, offset);
}

/** `['spec', 'ranges', 0, 'start']` → `$.spec.ranges[0].start`: the JSON path shown beside each problem. */
export function formatJsonPath(path: readonly PathSegment[]): string {
  let text = '$';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) text += `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** Ajv's `/spec/ranges/0/start` → path segments; array indices become numbers. */
export function parseInstancePath(instancePath: string): PathSegment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}
