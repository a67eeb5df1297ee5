import { describe, expect, it } from '@jest/globals';
import { locateJsonError } from './locate-json-error.js';

describe('locateJsonError', () => {
  it('accepts every valid document JSON.parse accepts', () => {
    for (const text of ['{}', '[]', ' 1 ', '"a\\u00e9\\n"', '{"a":[1,-2.5e3,true,false,null,{"b":{}}]}', '[[[[]]]]']) {
      expect(locateJsonError(text)).toBeUndefined();
    }
  });

  it.each([
    ['{"a":}', 1, 6, "unexpected '}', expected a value"],
    ['{"a":1,}', 1, 8, "unexpected '}', expected a double-quoted property name"],
    ['{"a" 1}', 1, 6, "unexpected '1', expected ':' after the property name"],
    ['[1,2', 1, 5, "unexpected end of input, expected ',' or ']'"],
    ['{\n  "a": "x', 2, 10, 'unexpected end of input, expected the closing quote of a string'],
    ['{"a":1}x', 1, 8, "unexpected 'x', expected the end of the document"],
    ['["\\q"]', 1, 4, "unexpected 'q', expected a valid escape sequence"],
    ['', 1, 1, 'unexpected end of input, expected a value'],
  ])('locates the error in %j at line %i, column %i', (text, line, column, message) => {
    expect(locateJsonError(text)).toMatchObject({ line, column, message });
  });

  it('survives nesting far deeper than the call stack', () => {
    expect(locateJsonError('['.repeat(200_000) + '}')).toMatchObject({ offset: 200_000 });
  });
});
