/**
 * One commit's note may hold the summaries of several clusters that follow the same repository; each
 * summary is a block starting with `plinth: <cluster> `. These helpers replace one cluster's block and
 * keep the others, so writers for different clusters never erase each other.
 */
const BLOCK_START = 'plinth: ';

export function splitNoteBlocks(note: string): string[] {
  const blocks: string[][] = [];
  for (const line of note.split('\n')) {
    if (line.startsWith(BLOCK_START) || blocks.length === 0) blocks.push([]);
    if (line.trim() !== '') blocks[blocks.length - 1]?.push(line);
  }
  return blocks.filter((block) => block.length > 0).map((block) => `${block.join('\n')}\n`);
}

export function clusterOfBlock(block: string): string | undefined {
  return block.startsWith(BLOCK_START) ? block.slice(BLOCK_START.length).split(' ')[0] : undefined;
}

/** The note with `block` as its cluster's only summary, other clusters' blocks kept, sorted by cluster. */
export function replaceNoteBlock(note: string, block: string): string {
  const cluster = clusterOfBlock(block);
  const others = splitNoteBlocks(note).filter((existing) => clusterOfBlock(existing) !== cluster);
  const seen = new Set<string>();
  const unique = others.filter((existing) => !seen.has(existing) && seen.add(existing));
  return [...unique, block.endsWith('\n') ? block : `${block}\n`]
    .sort((a, b) => (clusterOfBlock(a) ?? '').localeCompare(clusterOfBlock(b) ?? ''))
    .join('');
}
