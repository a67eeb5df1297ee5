/**
 * Compiles a manifest's regular expression with the flag validation uses (`u`), so a pattern that validated
 * behaves the same here. Compiled patterns are kept: classifying a fleet tests the same few patterns against
 * every machine. An invalid pattern gives undefined (validation has reported it).
 */
const compiled = new Map<string, RegExp | undefined>();
const MAX_KEPT = 1000;

export function compilePattern(source: string): RegExp | undefined {
  if (compiled.has(source)) return compiled.get(source);
  let pattern: RegExp | undefined;
  try {
    pattern = new RegExp(source, 'u');
  } catch {
    pattern = undefined;
  }
  if (compiled.size >= MAX_KEPT) compiled.clear();
  compiled.set(source, pattern);
  return pattern;
}
