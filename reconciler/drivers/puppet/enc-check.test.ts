import { describe, expect, it } from '@jest/globals';
import { checkEnc } from './enc-check.js';

describe('checkEnc', () => {
  it('accepts the ENC shape Puppet reads', () => {
    const enc = 'environment: production\nclasses:\n  plinth::role::compute:\n    hostname: c1\n  ntp:\nparameters:\n  rack: r12\n';

    expect(checkEnc(enc, 'c1.yaml')).toEqual([]);
  });

  it('accepts classes given as a list of names', () => {
    expect(checkEnc('classes: [plinth::base, ntp]\n', 'c1.yaml')).toEqual([]);
  });

  it('reports every problem with its line and column', () => {
    const enc = 'environment: Prod-1\nclasses: plinth\nparameters: [1, 2]\nfoo: bar\n';

    expect(checkEnc(enc, 'c1.yaml').map(({ line, col, path }) => ({ line, col, path }))).toEqual([
      { line: 1, col: 14, path: '$.environment' },
      { line: 2, col: 10, path: '$.classes' },
      { line: 3, col: 13, path: '$.parameters' },
      { line: 4, col: 1, path: '$.foo' },
    ]);
  });

  it('reports a class name Puppet cannot have', () => {
    expect(checkEnc('classes:\n  Plinth::Role: {}\n', 'c1.yaml')).toMatchObject([{ line: 2, col: 3, path: '$.classes.Plinth::Role' }]);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(checkEnc('classes: [a, b\n', 'c1.yaml')).toMatchObject([{ rule: 'yaml-syntax', file: 'c1.yaml' }]);
  });
});
