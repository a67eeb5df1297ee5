/**
 * Makes equal JSON values share one instance: parsed from thousands of stored documents, most sub-objects of
 * a fleet's inventories (CPU models, PCI devices, BIOS facts) are the same, and one frozen copy replaces
 * thousands. Meant for plain JSON values (as `JSON.parse` returns). Shared values are frozen, so a writer would fail loudly instead of changing another machine.
 *
 * @example const share = createSharer(); const inventories = parsed.map((value) => share(value));
 */
export function createSharer(): <T>(value: T) => T {
  const canonical = new Map<string, object>();
  const ids = new WeakMap<object, number>();
  const strings = new Map<string, string>();

  function tokenOf(value: unknown): string {
    // Every object reaching here was settled, so it has an id.
    if (typeof value === 'object' && value !== null) return `#${ids.get(value) ?? 0}`;
    return JSON.stringify(value) ?? 'u';
  }

  function settle(value: object, key: string): object {
    const known = canonical.get(key);
    if (known) return known;
    canonical.set(key, Object.freeze(value));
    ids.set(value, canonical.size);
    return value;
  }

  function share(value: unknown): unknown {
    if (typeof value === 'string') {
      const known = strings.get(value);
      if (known !== undefined) return known;
      strings.set(value, value);
      return value;
    }
    if (typeof value !== 'object' || value === null || ids.has(value)) return value;
    if (Array.isArray(value)) {
      const items = value.map(share);
      return settle(items, `[${items.map(tokenOf).join(',')}]`);
    }
    const entries = Object.entries(value).map(([name, item]) => [name, share(item)] as const);
    const key = `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${tokenOf(item)}`).join(',')}}`;
    return settle(Object.fromEntries(entries), key);
  }

  return <T>(value: T): T => share(value) as T;
}
