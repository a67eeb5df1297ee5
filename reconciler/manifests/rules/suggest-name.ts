/** Levenshtein distance, bounded: names longer apart than `limit` are not worth suggesting. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

/** ` (did you mean \`compute\`?)` when a declared name is close to the one written, else an empty string. */
export function suggestName(written: string, candidates: Iterable<string>): string {
  const limit = Math.max(2, Math.floor(written.length / 3));
  let best: { name: string; score: number } | undefined;
  for (const name of candidates) {
    const score = distance(written, name, limit);
    if (score <= limit && (!best || score < best.score || (score === best.score && name < best.name))) best = { name, score };
  }
  return best ? ` (did you mean \`${best.name}\`?)` : '';
}
