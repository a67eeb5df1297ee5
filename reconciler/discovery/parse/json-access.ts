/** Small readers for loosely-typed JSON that tools print: a wrong type yields undefined, never a throw. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readString(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

/** Numbers may arrive as JSON numbers or as strings (older util-linux prints sizes as strings). */
export function readNumber(object: JsonObject, key: string): number | undefined {
  const value = object[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** Booleans may arrive as JSON booleans or as "1"/"0" strings. */
export function readBoolean(object: JsonObject, key: string): boolean | undefined {
  const value = object[key];
  if (typeof value === 'boolean') return value;
  if (value === '1' || value === 1) return true;
  if (value === '0' || value === 0) return false;
  return undefined;
}

export function readObjects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}
