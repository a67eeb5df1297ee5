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

/**
 * One pass over the text with `indexOf`, no array of lines. A structure whose type is not in `types` is
 * jumped over to the next `Handle` line without reading its fields: a server's dump is mostly structures
 * the inventory never looks at (caches, slots, connectors, OEM strings), and reports arrive by the rack.
 *
 * @example parseDmidecode(text, new Set([1, 4])) // only System and Processor records
 */
export function parseDmidecode(text: string, types?: ReadonlySet<number>): DmiRecord[] {
  const records: DmiRecord[] = [];
  let current: DmiRecord | undefined;
  let expectName = false;
  let listKey: string | undefined;
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    if (line.startsWith('Handle ')) {
      const handle = HANDLE_LINE.exec(line);
      if (handle) {
        const type = Number(handle[2]);
        if (types !== undefined && !types.has(type)) {
          current = undefined;
          start = skipToNextHandle(text, start);
          continue;
        }
        current = { handle: handle[1] ?? '', type, name: '', fields: {}, lists: {} };
        records.push(current);
        expectName = true;
        listKey = undefined;
        continue;
      }
    }
    if (!current || line.trim() === '') continue;
    if (expectName) {
      current.name = line.trim();
      expectName = false;
      continue;
    }
    listKey = readFieldLine(current, line, listKey);
  }
  return records;
}

/** Start of the next line that begins with `Handle `, or the end of the text. */
function skipToNextHandle(text: string, from: number): number {
  if (text.startsWith('Handle ', from)) return from;
  const next = text.indexOf('\nHandle ', from - 1);
  return next < 0 ? text.length : next + 1;
}

/** Stores one field or list line in the record; returns the key that following list lines belong to. */
function readFieldLine(record: DmiRecord, line: string, listKey: string | undefined): string | undefined {
  if (line.startsWith('\t\t')) {
    if (listKey !== undefined) (record.lists[listKey] ??= []).push(line.trim());
    return listKey;
  }
  if (!line.startsWith('\t')) return undefined;
  const colon = line.indexOf(':');
  if (colon < 0) return undefined;
  const key = line.slice(1, colon).trim();
  const value = line.slice(colon + 1).trim();
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
