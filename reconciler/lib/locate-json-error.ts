/**
 * Finds where a JSON text stops being valid, with line and column, and says what was found there.
 * `JSON.parse` does not always give a position (V8 omits it for an unexpected token) and its message
 * quotes the input, which may hold a secret; this scanner gives a position for every error and quotes at
 * most one character. It is iterative, so a deeply nested body cannot overflow the stack.
 *
 * @example locateJsonError('{"a":}') // { offset: 5, line: 1, column: 6, message: "unexpected '}', expected a value" }
 */
export interface JsonErrorLocation {
  /** 0-based offset in UTF-16 code units. */
  offset: number;
  line: number;
  column: number;
  message: string;
}

type Expecting = 'value' | 'key' | 'after';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;

class JsonSyntax {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

function skipWhitespace(text: string, index: number): number {
  let at = index;
  while (at < text.length && ' \t\n\r'.includes(text[at] as string)) at++;
  return at;
}

function scanString(text: string, start: number): number {
  let at = start + 1;
  while (at < text.length) {
    const char = text[at] as string;
    if (char === '"') return at + 1;
    if (char.charCodeAt(0) < 0x20) throw new JsonSyntax(at, 'a string character (control characters must be escaped)');
    if (char === '\\') {
      const escape = text[at + 1];
      if (escape === 'u' && HEX4.test(text.slice(at + 2, at + 6))) at += 6;
      else if (escape !== undefined && ESCAPES.has(escape)) at += 2;
      else throw new JsonSyntax(at + 1, 'a valid escape sequence');
    } else at++;
  }
  throw new JsonSyntax(text.length, 'the closing quote of a string');
}

function scanScalar(text: string, at: number): number {
  for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, at)) return at + literal.length;
  NUMBER.lastIndex = at;
  if (NUMBER.test(text)) return NUMBER.lastIndex;
  throw new JsonSyntax(at, 'a value');
}

/** Returns the offset just past one value's opening (a container) or the whole value (a scalar). */
function scanValue(text: string, at: number, stack: ('array' | 'object')[]): { next: number; expecting: Expecting } {
  const char = text[at];
  if (char === '{' || char === '[') {
    stack.push(char === '{' ? 'object' : 'array');
    const inside = skipWhitespace(text, at + 1);
    if (text[inside] === (char === '{' ? '}' : ']')) {
      stack.pop();
      return { next: inside + 1, expecting: 'after' };
    }
    return { next: inside, expecting: char === '{' ? 'key' : 'value' };
  }
  if (char === '"') return { next: scanString(text, at), expecting: 'after' };
  return { next: scanScalar(text, at), expecting: 'after' };
}

function scanAfter(text: string, at: number, stack: ('array' | 'object')[]): { next: number; expecting: Expecting } | undefined {
  const top = stack.at(-1);
  if (top === undefined) {
    if (at < text.length) throw new JsonSyntax(at, 'the end of the document');
    return undefined;
  }
  const close = top === 'array' ? ']' : '}';
  if (text[at] === ',') return { next: at + 1, expecting: top === 'array' ? 'value' : 'key' };
  if (text[at] === close) {
    stack.pop();
    return { next: at + 1, expecting: 'after' };
  }
  throw new JsonSyntax(at, `',' or '${close}'`);
}

function scanKey(text: string, at: number): number {
  if (text[at] !== '"') throw new JsonSyntax(at, 'a double-quoted property name');
  const colon = skipWhitespace(text, scanString(text, at));
  if (text[colon] !== ':') throw new JsonSyntax(colon, "':' after the property name");
  return colon + 1;
}

/** Returns undefined when the text is valid JSON. */
function findSyntaxError(text: string): JsonSyntax | undefined {
  const stack: ('array' | 'object')[] = [];
  let at = 0;
  let expecting: Expecting = 'value';
  try {
    for (;;) {
      at = skipWhitespace(text, at);
      if (expecting === 'key') {
        at = scanKey(text, at);
        expecting = 'value';
      } else if (expecting === 'value') {
        ({ next: at, expecting } = scanValue(text, at, stack));
      } else {
        const step = scanAfter(text, at, stack);
        if (!step) return undefined;
        ({ next: at, expecting } = step);
      }
    }
  } catch (error) {
    if (error instanceof JsonSyntax) return error;
    throw error;
  }
}

function describeFound(text: string, offset: number): string {
  if (offset >= text.length) return 'unexpected end of input';
  const char = text.codePointAt(offset) ?? 0;
  return char < 0x20 || char === 0x7f ? `unexpected character U+${char.toString(16).padStart(4, '0')}` : `unexpected '${String.fromCodePoint(char)}'`;
}

export function locateJsonError(text: string): JsonErrorLocation | undefined {
  const error = findSyntaxError(text);
  if (!error) return undefined;
  const before = text.slice(0, error.offset);
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  const column = error.offset - (before.lastIndexOf('\n') + 1) + 1;
  return { offset: error.offset, line, column, message: `${describeFound(text, error.offset)}, expected ${error.expected}` };
}
