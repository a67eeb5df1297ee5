import { describe, expect, it } from '@jest/globals';
import type { Problem } from '../../lib/problems.js';
import { escapeData, escapeProperty, formatGithub } from './github.js';
import { formatJson } from './json.js';
import { escapeXml, formatJunit } from './junit.js';
import { formatText } from './text.js';

const error: Problem = { severity: 'error', rule: 'dangling-reference', message: 'Role `x` is not defined', file: 'nodes/a.yaml', line: 3, col: 7, path: '$.spec.role' };
const warning: Problem = { severity: 'warning', rule: 'cpu-model', message: '`model` is ignored', file: 'cpu.yaml', line: 1, col: 1 };
const global: Problem = { severity: 'error', rule: 'single-cluster', message: 'no Cluster manifest found', file: '', line: 0, col: 0 };

describe('text format', () => {
  it('prints file:line:col: severity: message [path], then the verdict', () => {
    expect(formatText([error, warning], { files: ['a', 'b'], manifestCount: 3 })).toBe(
      'nodes/a.yaml:3:7: error: Role `x` is not defined [$.spec.role]\ncpu.yaml:1:1: warning: `model` is ignored\ninvalid: 1 error, 1 warning (3 manifests in 2 files)\n',
    );
  });

  it('says valid when there are only warnings, and names the repository for unplaced problems', () => {
    expect(formatText([warning])).toBe('cpu.yaml:1:1: warning: `model` is ignored\nvalid with 1 warning\n');
    expect(formatText([global])).toMatch(/^\(repository\): error: no Cluster/);
  });
});

describe('JSON format', () => {
  it('carries the verdict, the counts and every problem', () => {
    expect(JSON.parse(formatJson([error, warning]))).toEqual({ valid: false, errors: 1, warnings: 1, problems: [error, warning] });
  });
});

describe('GitHub annotations', () => {
  it('escape %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('100%\r\nnext')).toBe('100%25%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });

  it('place each problem on its file, line and column', () => {
    const odd: Problem = { ...error, file: 'odd,name:1.yaml', message: 'two\nlines' };
    expect(formatGithub([odd, warning])).toBe(
      '::error file=odd%2Cname%3A1.yaml,line=3,col=7,title=plinth dangling-reference::two%0Alines [$.spec.role]\n' +
        '::warning file=cpu.yaml,line=1,col=1,title=plinth cpu-model::`model` is ignored\n',
    );
  });

  it('leave out the place of a problem that has none', () => {
    expect(formatGithub([global])).toBe('::error title=plinth single-cluster::no Cluster manifest found\n');
  });
});

describe('JUnit XML', () => {
  it('has one test case per file; files with errors fail, clean files pass', () => {
    const xml = formatJunit([error, warning], { files: ['nodes/a.yaml', 'cpu.yaml', 'clean.yaml'] });
    expect(xml).toContain('<testsuites name="plinth validate" tests="3" failures="1" errors="0">');
    expect(xml).toContain('<testcase classname="plinth.validate" name="clean.yaml"/>');
    expect(xml).toContain('<failure type="dangling-reference" message="Role `x` is not defined">nodes/a.yaml:3:7: Role `x` is not defined [$.spec.role]</failure>');
    expect(xml).toContain('<system-out>cpu.yaml:1:1: warning: `model` is ignored</system-out>');
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    expect(escapeXml('<a href="x">&\u0001\'')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  });
});
