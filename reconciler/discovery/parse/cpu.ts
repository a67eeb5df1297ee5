import { isObject, readObjects, readString, type JsonObject } from './json-access.js';

/** CPU facts as the kernel sees them (lscpu or /proc/cpuinfo), used when dmidecode is missing and for flags. */
export interface KernelCpuFacts {
  model?: string;
  vendor?: string;
  sockets?: number;
  coresPerSocket?: number;
  threadsPerSocket?: number;
  speedMHz?: number;
  flags: string[];
}

/** `lscpu -J` prints `{ lscpu: [{ field: "Model name:", data: "...", children?: [...] }] }`. */
export function parseLscpu(json: unknown): KernelCpuFacts {
  const fields = new Map<string, string>();
  const visit = (entries: JsonObject[]): void => {
    for (const entry of entries) {
      const name = (readString(entry, 'field') ?? '').replace(/:$/, '');
      const data = readString(entry, 'data');
      if (data !== undefined && !fields.has(name)) fields.set(name, data);
      visit(readObjects(entry.children));
    }
  };
  visit(isObject(json) ? readObjects(json.lscpu) : []);
  const sockets = toInteger(fields.get('Socket(s)'));
  const coresPerSocket = toInteger(fields.get('Core(s) per socket') ?? fields.get('Core(s) per cluster'));
  const threadsPerCore = toInteger(fields.get('Thread(s) per core'));
  return compact({
    model: fields.get('Model name'),
    vendor: fields.get('Vendor ID'),
    sockets,
    coresPerSocket,
    threadsPerSocket: coresPerSocket !== undefined && threadsPerCore !== undefined ? coresPerSocket * threadsPerCore : undefined,
    speedMHz: toInteger(fields.get('CPU max MHz') ?? fields.get('CPU MHz')),
    flags: splitFlags(fields.get('Flags')),
  });
}

/** /proc/cpuinfo: one block per logical CPU; sockets are the distinct `physical id` values. */
export function parseCpuinfo(text: string): KernelCpuFacts {
  const blocks = text.split(/\n\s*\n/).map(readCpuinfoBlock).filter((block) => block.size > 0);
  const first = blocks[0] ?? new Map<string, string>();
  const sockets = new Set(blocks.map((block) => block.get('physical id')).filter((id) => id !== undefined));
  return compact({
    model: first.get('model name'),
    vendor: first.get('vendor_id'),
    sockets: sockets.size > 0 ? sockets.size : undefined,
    coresPerSocket: toInteger(first.get('cpu cores')),
    threadsPerSocket: toInteger(first.get('siblings')),
    speedMHz: toInteger(first.get('cpu MHz')),
    flags: splitFlags(first.get('flags') ?? first.get('Features')),
  });
}

function readCpuinfoBlock(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return fields;
}

function toInteger(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  return Math.round(Number(value));
}

function splitFlags(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(/\s+/).filter((flag) => flag !== ''))].sort();
}

function compact(facts: KernelCpuFacts): KernelCpuFacts {
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined)) as unknown as KernelCpuFacts;
}
