/**
 * Splits a rendered Markdown plan into forge comments (GitHub's limit is 65,536 characters). Cuts fall only
 * between table rows, `<details>` blocks or list items; a section continued in the next part repeats its
 * heading and table header; every part repeats the plan's header and ends with the summary line, so each
 * comment reads on its own and the last line of the last one is the summary.
 */

interface Section {
  /** Heading, blank line and, for tables, the header and separator rows. */
  head: string[];
  units: string[][];
}

interface ParsedPlan {
  header: string[];
  sections: Section[];
  summary: string;
}

function isTableLine(line: string): boolean {
  return line.startsWith('|');
}

/** Cuts a section's body into units: one table row, one `<details>` block, or one list item each. */
function parseSection(lines: readonly string[]): Section {
  const head: string[] = [lines[0] ?? ''];
  let index = 1;
  while (index < lines.length && lines[index] === '') head.push(lines[index++] ?? '');
  if (isTableLine(lines[index] ?? '') && isTableLine(lines[index + 1] ?? '')) {
    head.push(lines[index] ?? '', lines[index + 1] ?? '');
    index += 2;
  }
  const units: string[][] = [];
  let inDetails = false;
  for (; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const last = units[units.length - 1];
    if (inDetails || (line === '' && last)) last?.push(line);
    else units.push([line]);
    if (line.startsWith('<details>')) inDetails = true;
    if (line === '</details>') inDetails = false;
  }
  return { head, units };
}

function parsePlan(markdown: string): ParsedPlan {
  const lines = markdown.replace(/\n+$/, '').split('\n');
  const summary = lines.pop() ?? '';
  const firstSection = lines.findIndex((line) => line.startsWith('### '));
  const header = firstSection < 0 ? lines : lines.slice(0, firstSection);
  const sections: Section[] = [];
  if (firstSection >= 0) {
    let start = firstSection;
    for (let index = firstSection + 1; index <= lines.length; index += 1) {
      if (index === lines.length || lines[index]?.startsWith('### ')) {
        sections.push(parseSection(lines.slice(start, index)));
        start = index;
      }
    }
  }
  return { header, sections, summary };
}

function size(lines: readonly string[]): number {
  return lines.reduce((total, line) => total + line.length + 1, 0);
}

/** Room kept in each part for the "part i of n" and "continued" lines, whose text is known only at the end. */
const PART_LINE_ROOM = 128;

/** Splits `markdown` (as `renderPlanMarkdown` writes it) into parts of at most `limit` characters where it can. */
export function splitForComments(markdown: string, limit = 65536): string[] {
  if (markdown.length <= limit) return [markdown];
  const { header, sections, summary } = parsePlan(markdown);
  const fixed = size(header) + size(['', summary]) + PART_LINE_ROOM;
  const parts: string[][] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length > 0) parts.push(current);
    current = [];
  };
  for (const section of sections) {
    let sectionOpen = false;
    for (const unit of section.units) {
      const needed = size(unit) + (sectionOpen ? 0 : size(section.head));
      // A unit that cannot fit even in an empty part goes alone: cutting it would break a row or a diff.
      if (current.length > 0 && fixed + size(current) + needed > limit) {
        flush();
        sectionOpen = false;
      }
      if (!sectionOpen) current.push(...(unit === section.units[0] ? section.head : [`${section.head[0] ?? ''} (continued)`, ...section.head.slice(1)]));
      sectionOpen = true;
      current.push(...unit);
    }
    if (section.units.length === 0) current.push(...section.head);
  }
  flush();
  return parts.map((body, index) => {
    const partLine = `_Part ${index + 1} of ${parts.length} of this plan._`;
    const tail = index === parts.length - 1 ? [] : ['_Continued in the next comment._', ''];
    return `${[...header, partLine, '', ...body, ...(body[body.length - 1] === '' ? [] : ['']), ...tail, summary].join('\n')}\n`;
  });
}
