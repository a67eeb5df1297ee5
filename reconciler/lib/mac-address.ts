/**
 * MAC addresses arrive in many spellings (`52:54:00:AA:00:01` from dnsmasq, `52-54-00-aa-00-01` from iPXE's
 * `:hexhyp` format or file names, `525400aa0001` from some BMCs). plinth keys everything on one form:
 * lower-case, colon-separated.
 */
const SEPARATED = /^([0-9a-f]{2})([:-])([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/;
const BARE = /^[0-9a-f]{12}$/;

/** Returns the canonical `aa:bb:cc:dd:ee:ff` form, or undefined when `text` is not a MAC address. */
export function normaliseMac(text: string): string | undefined {
  const lower = text.trim().toLowerCase();
  const separated = SEPARATED.exec(lower);
  if (separated) return [1, 3, 4, 5, 6, 7].map((group) => separated[group]).join(':');
  if (BARE.test(lower)) return lower.match(/../g)?.join(':');
  return undefined;
}

/** The hyphenated form used in file names (`52-54-00-aa-00-01`), from a canonical MAC. */
export function formatMacForFileName(mac: string): string {
  return mac.replaceAll(':', '-');
}

/**
 * The key under which a MAC from a hardware report is indexed and compared: the canonical form when `text` is a
 * MAC address, else the trimmed lower-case text, so that placeholders (`N/A`, all zeros) still compare equal and
 * can be recognised and skipped by the caller.
 */
export function toMacKey(text: string): string {
  return normaliseMac(text) ?? text.trim().toLowerCase();
}
