import { describe, expect, it } from '@jest/globals';
import { compileTemplate, listTemplateKeys } from './render-template.js';

describe('compileTemplate', () => {
  it('fills every placeholder, with or without spaces', () => {
    const render = compileTemplate('a={{a}} b={{ b }} a={{a}}\n', 't');
    expect(render({ a: '1', b: '2' })).toBe('a=1 b=2 a=1\n');
  });

  it('leaves iPXE ${settings} alone', () => {
    expect(compileTemplate('chain ${net0/mac}.ipxe {{x}}', 't')({ x: 'y' })).toBe('chain ${net0/mac}.ipxe y');
  });

  it('names the missing value', () => {
    expect(() => compileTemplate('{{ absent }}', 'conf.tmpl')({})).toThrow('template conf.tmpl needs a value for "absent"');
  });

  it('refuses a value that would start a new line', () => {
    expect(() => compileTemplate('name={{ name }}', 't')({ name: 'x\nport=53' })).toThrow(/contains a line break/);
  });
});

describe('listTemplateKeys', () => {
  it('lists each name once', () => {
    expect(listTemplateKeys('{{a}} {{ b }} {{a}}')).toEqual(['a', 'b']);
  });
});
