/**
 * A deterministic unified line diff (longest common subsequence), for showing how a node's ENC changes.
 * Common leading and trailing lines are set aside first, so the quadratic table only covers the region that
 * changed: ENC changes are usually a few lines in a few hundred.
 */

export interface DiffOptions {
  /** Labels of the `---` and `+++` lines. */
  fromName?: string;
  toName?: string;
  /** Unchanged lines shown around each change (default 3). */
  context?: number;
}

type Edit = { op: ' ' | '-' | '+'; line: string; before: number; after: number };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Edits turning `before` into `after`; ties prefer removals first, so the output never depends on chance. */
function computeMiddleEdits(before: readonly string[], after: readonly string[], offset: number): Edit[] {
  const rows = before.length;
  const cols = after.length;
  // lengths[i][j] = LCS length of before[i..] and after[j..], stored flat for speed.
  const lengths = new Uint32Array((rows + 1) * (cols + 1));
  for (let i = rows - 1; i >= 0; i -= 1) {
    for (let j = cols - 1; j >= 0; j -= 1) {
      const index = i * (cols + 1) + j;
      lengths[index] = before[i] === after[j] ? (lengths[index + cols + 2] ?? 0) + 1 : Math.max(lengths[index + cols + 1] ?? 0, lengths[index + 1] ?? 0);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < rows || j < cols) {
    if (i < rows && j < cols && before[i] === after[j]) {
      edits.push({ op: ' ', line: before[i] ?? '', before: offset + i, after: offset + j });
      i += 1;
      j += 1;
    } else if (i < rows && (j >= cols || (lengths[(i + 1) * (cols + 1) + j] ?? 0) >= (lengths[i * (cols + 1) + j + 1] ?? 0))) {
      edits.push({ op: '-', line: before[i] ?? '', before: offset + i, after: offset + j });
      i += 1;
    } else {
      edits.push({ op: '+', line: after[j] ?? '', before: offset + i, after: offset + j });
      j += 1;
    }
  }
  return edits;
}

function computeEdits(before: readonly string[], after: readonly string[]): Edit[] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start += 1;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end += 1;
  const head = before.slice(0, start).map((line, index): Edit => ({ op: ' ', line, before: index, after: index }));
  const middle = computeMiddleEdits(before.slice(start, before.length - end), after.slice(start, after.length - end), start);
  const tailStartBefore = before.length - end;
  const tailStartAfter = after.length - end;
  const tail = before.slice(tailStartBefore).map((line, index): Edit => ({ op: ' ', line, before: tailStartBefore + index, after: tailStartAfter + index }));
  return [...head, ...middle, ...tail];
}

/** Groups changes with their context into hunks; changes at most twice the context apart share one (as `diff -u`). */
function groupHunks(edits: readonly Edit[], context: number): Edit[][] {
  const changed = edits.flatMap((edit, index) => (edit.op === ' ' ? [] : [index]));
  const hunks: Edit[][] = [];
  let from = -1;
  let to = -1;
  for (const index of changed) {
    if (from >= 0 && index - to - 1 <= 2 * context) {
      to = index;
      continue;
    }
    if (from >= 0) hunks.push(edits.slice(Math.max(0, from - context), Math.min(edits.length, to + context + 1)));
    from = index;
    to = index;
  }
  if (from >= 0) hunks.push(edits.slice(Math.max(0, from - context), Math.min(edits.length, to + context + 1)));
  return hunks;
}

function formatRange(start: number, count: number): string {
  // A range of zero lines names the line before it, as `diff -u` does.
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
}

function formatHunk(hunk: readonly Edit[]): string[] {
  const first = hunk[0];
  if (!first) return [];
  const beforeCount = hunk.filter((edit) => edit.op !== '+').length;
  const afterCount = hunk.filter((edit) => edit.op !== '-').length;
  const header = `@@ -${formatRange(first.before, beforeCount)} +${formatRange(first.after, afterCount)} @@`;
  return [header, ...hunk.map((edit) => `${edit.op}${edit.line}`)];
}

/**
 * The unified diff from `before` to `after`, or '' when they are equal.
 * Example: `diffLines('a\nb\n', 'a\nc\n', { fromName: 'applied', toName: 'planned' })`.
 */
export function diffLines(before: string, after: string, options: DiffOptions = {}): string {
  if (before === after) return '';
  const edits = computeEdits(splitLines(before), splitLines(after));
  const hunks = groupHunks(edits, options.context ?? 3);
  if (hunks.length === 0) return '';
  const lines = [`--- ${options.fromName ?? 'before'}`, `+++ ${options.toName ?? 'after'}`, ...hunks.flatMap(formatHunk)];
  return `${lines.join('\n')}\n`;
}
