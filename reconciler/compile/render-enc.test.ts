import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { digestEncYaml, renderEncYaml } from './render-enc.js';
import type { EncDocument } from './types.js';

const enc: EncDocument = {
  environment: 'production',
  classes: { 'plinth::role::compute': { zeta: 'yes', alpha: 8192, flags: ['+a', '-b'], empty: [], on: true } },
  parameters: { plinth_topology: { vip: { hostname: 'api.example.net', address: '10.0.0.5' } }, 'odd key': '', quote: 'say "hi"\n', nothing: {} },
};

describe('renderEncYaml', () => {
  it('sorts keys at every level and reads back as the same document', () => {
    const yaml = renderEncYaml(enc);

    expect(parse(yaml)).toEqual(enc);
    expect(yaml.indexOf('alpha:')).toBeLessThan(yaml.indexOf('zeta:'));
    expect(yaml.indexOf('address:')).toBeLessThan(yaml.indexOf('hostname:'));
    expect(yaml.indexOf('classes:')).toBeLessThan(yaml.indexOf('environment:'));
  });

  it('quotes strings so that YAML never reads them as booleans, numbers or null', () => {
    const yaml = renderEncYaml({ environment: 'production', classes: {}, parameters: { a: 'yes', b: '1.0', c: '', d: 'null' } });

    expect(parse(yaml)).toEqual({ environment: 'production', classes: {}, parameters: { a: 'yes', b: '1.0', c: '', d: 'null' } });
  });

  it('gives the same bytes and digest whatever order the keys were built in', () => {
    const reordered: EncDocument = { parameters: { ...enc.parameters }, classes: { 'plinth::role::compute': { on: true, empty: [], flags: ['+a', '-b'], alpha: 8192, zeta: 'yes' } }, environment: 'production' };

    expect(renderEncYaml(reordered)).toBe(renderEncYaml(enc));
    expect(digestEncYaml(renderEncYaml(reordered))).toMatch(/^[0-9a-f]{64}$/);
    expect(digestEncYaml(renderEncYaml(reordered))).toBe(digestEncYaml(renderEncYaml(enc)));
  });
});
