/**
 * Parses `dmidecode` text into records, one per SMBIOS structure. Only the shape of the text is interpreted
 * here; what the values mean is decided by the inventory builders (`dmi-inventory.ts`).
 *
 * The text format: a `Handle 0x0100, DMI type 1, 27 bytes` line, then the structure's name on its own line,
 * then `\tKey: value` fields; a field whose value is empty may be followed by `\t\titem` list lines.
 */
export interface DmiRecord {
  handle: string;
  type: number;
  /** The structure's name, e.g. `Processor Information`. */
  name: string;
  /** Single-line fields by key, values trimmed. */
  fields: Record<string, string>;
  /** Multi-line fields (`Flags:`, `Characteristics:`) by key. */
  lists: Record<string, string[]>;
}

const HANDLE_LINE = /^Handle (0x[0-9A-Fa-f]+), DMI type (\d+), \d+ bytes/;

/** What to keep of a dump; without it, every structure and every field is kept. */
export interface DmiSelection {
  /** Structures of other types are jumped over to the next `Handle` line, their lines never looked at. */
  types: ReadonlySet<number>;
  /** Fields (and lists) under other keys are dropped. */
  fields: ReadonlySet<string>;
}

/**
 * One pass over the text with `indexOf`, no array of lines. Reports arrive by the rack, and most of a
 * server's dump is structures (caches, slots, connectors, OEM strings) and fields (asset tags, bank
 * locators, voltages) the inventory never reads: storing a field costs more than reading its line, so a
 * `selection` keeps only what the caller reads.
 *
 * @example parseDmidecode(text, { types: new Set([1]), fields: new Set(['Product Name']) })
 */
export function parseDmidecode(text: string, selection?: DmiSelection): DmiRecord[] {
  const types = selection?.types;
  const keep = selection ? new KeySet(selection.fields) : undefined;
  const records: DmiRecord[] = [];
  let current: DmiRecord | undefined;
  let expectName = false;
  let listKey: string | undefined;
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const next = newline < 0 ? text.length : newline + 1;
    const end = newline < 0 ? text.length : text.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
    if (text.startsWith('Handle ', start)) {
      const handle = HANDLE_LINE.exec(text.slice(start, end));
      if (handle) {
        const type = Number(handle[2]);
        const wanted = types === undefined || types.has(type);
        current = wanted ? { handle: handle[1] ?? '', type, name: '', fields: {}, lists: {} } : undefined;
        if (current) records.push(current);
        expectName = wanted;
        listKey = undefined;
        start = wanted ? next : skipToNextHandle(text, next);
        continue;
      }
    }
    if (current && !isBlank(text, start, end)) {
      if (expectName) {
        current.name = sliceTrimmed(text, start, end);
        expectName = false;
      } else {
        listKey = readFieldLine(current, text, start, end, listKey, keep);
      }
    }
    start = next;
  }
  return records;
}

const CR = 13;
const TAB = 9;

/** The ASCII characters `String.prototype.trim` removes: tab, line feed, vertical tab, form feed, CR, space. */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    // Beyond ASCII, trim() alone knows which characters are spaces.
    if (!isSpace(code)) return code > 127 && text.slice(start, end).trim() === '';
  }
  return true;
}

/** `text.slice(start, end).trim()` with one string made instead of two in the common, ASCII case. */
function sliceTrimmed(text: string, start: number, end: number): string {
  let from = start;
  let to = end;
  while (from < to && isSpace(text.charCodeAt(from))) from++;
  while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
  const sliced = text.slice(from, to);
  // Other whitespace (no-break space, BOM...) is left to trim(), which knows every kind.
  return text.charCodeAt(from) > 127 || text.charCodeAt(to - 1) > 127 ? sliced.trim() : sliced;
}

/**
 * Tells whether a key in the text is one of a few wanted ones without slicing it out: most field lines
 * carry keys nobody asked for, and a string made only to be looked up and dropped is most of their cost.
 */
class KeySet {
  private readonly byLength = new Map<number, string[]>();

  constructor(keys: Iterable<string>) {
    for (const key of keys) {
      const sameLength = this.byLength.get(key.length) ?? [];
      sameLength.push(key);
      this.byLength.set(key.length, sameLength);
    }
  }

  /** Whether `text[start, end)`, spaces around it ignored, is one of the keys. */
  matches(text: string, start: number, end: number): boolean {
    let from = start;
    let to = end;
    while (from < to && isSpace(text.charCodeAt(from))) from++;
    while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
    if (text.charCodeAt(from) > 127 || text.charCodeAt(to - 1) > 127) return this.has(text.slice(start, end).trim());
    const candidates = this.byLength.get(to - from);
    return candidates !== undefined && candidates.some((key) => text.startsWith(key, from));
  }

  private has(key: string): boolean {
    return this.byLength.get(key.length)?.includes(key) ?? false;
  }
}

/** Start of the next line that begins with `Handle `, or the end of the text. */
function skipToNextHandle(text: string, from: number): number {
  if (text.startsWith('Handle ', from)) return from;
  const next = text.indexOf('\nHandle ', from - 1);
  return next < 0 ? text.length : next + 1;
}

/**
 * Stores the field or list line `text[start, end)` in the record, slicing only the key and value;
 * returns the key that following list lines belong to (none for a key not kept, so its items are dropped).
 */
function readFieldLine(
  record: DmiRecord,
  text: string,
  start: number,
  end: number,
  listKey: string | undefined,
  keep: KeySet | undefined,
): string | undefined {
  if (text.charCodeAt(start) !== TAB) return undefined;
  if (text.charCodeAt(start + 1) === TAB) {
    if (listKey !== undefined) (record.lists[listKey] ??= []).push(sliceTrimmed(text, start, end));
    return listKey;
  }
  const colon = text.indexOf(':', start);
  if (colon < 0 || colon >= end) return undefined;
  if (keep !== undefined && !keep.matches(text, start + 1, colon)) return undefined;
  const key = sliceTrimmed(text, start + 1, colon);
  const value = sliceTrimmed(text, colon + 1, end);
  if (value === '') {
    record.lists[key] = [];
    return key;
  }
  if (!(key in record.fields)) record.fields[key] = value;
  return undefined;
}

/** Records of one SMBIOS type, in the order dmidecode printed them. */
export function selectDmiRecords(records: readonly DmiRecord[], type: number): DmiRecord[] {
  return records.filter((record) => record.type === type);
}
