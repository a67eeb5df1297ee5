import { describe, expect, it } from '@jest/globals';
import { createSharer } from './share-identical.js';

describe('createSharer', () => {
  it('returns equal values unchanged in content, sharing and freezing equal sub-objects', () => {
    const share = createSharer();
    const a = share(JSON.parse('{"cpu":{"model":"EPYC","cores":[1,2]},"serial":"A","tags":[]}') as Record<string, unknown>);
    const b = share(JSON.parse('{"cpu":{"model":"EPYC","cores":[1,2]},"serial":"B","tags":[]}') as Record<string, unknown>);

    expect(a).toEqual({ cpu: { model: 'EPYC', cores: [1, 2] }, serial: 'A', tags: [] });
    expect(b).toEqual({ cpu: { model: 'EPYC', cores: [1, 2] }, serial: 'B', tags: [] });
    expect(b['cpu']).toBe(a['cpu']);
    expect(b['tags']).toBe(a['tags']);
    expect(a).not.toBe(b);
    expect(Object.isFrozen(a['cpu'])).toBe(true);
    expect(() => { (a['cpu'] as Record<string, unknown>)['model'] = 'x'; }).toThrow(TypeError);
  });

  it('keeps values that differ only in type, order of arrays or nesting apart', () => {
    const share = createSharer();
    const values = [{ v: 1 }, { v: '1' }, { v: [1, 2] }, { v: [2, 1] }, { v: [[1], 2] }, { v: null }, { w: 1 }, { v: { a: 1 } }, { v: { a: '1' } }].map((value) => share(value));

    expect(new Set(values).size).toBe(values.length);
    expect(values).toEqual([{ v: 1 }, { v: '1' }, { v: [1, 2] }, { v: [2, 1] }, { v: [[1], 2] }, { v: null }, { w: 1 }, { v: { a: 1 } }, { v: { a: '1' } }]);
  });
});
