/**
 * Quotes one word for a POSIX shell: the remote side of an SSH exec is always a shell, so every
 * path or value put into a remote command line goes through here.
 * Example: `quoteShellWord("it's")` → `'it'\''s'`.
 */
export function quoteShellWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Joins words into one command line, each quoted. */
export function joinShellWords(words: readonly string[]): string {
  return words.map(quoteShellWord).join(' ');
}
