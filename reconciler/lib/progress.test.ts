import { describe, expect, it } from '@jest/globals';
import { describePhase, ProgressReporter } from './progress.js';
import { startProgress } from './progress-flags.js';

/** A stream that keeps what was written, and a clock the test moves. */
function setUp(mode: 'redraw' | 'lines'): { written: string[]; advance(ms: number): void; reporter: ProgressReporter } {
  const written: string[] = [];
  let now = 1_000;
  const reporter = new ProgressReporter({ stream: { write: (text: string) => written.push(text) }, mode, now: () => now, minRedrawMs: 100, label: 'plan' });
  return { written, advance: (ms) => (now += ms), reporter };
}

describe('describePhase', () => {
  it('shows done/total with the unit, or the one count known', () => {
    expect(describePhase({ phase: 'classify', done: 4000, total: 10000, unit: 'nodes' })).toBe('classify 4,000/10,000 nodes');
    expect(describePhase({ phase: 'load manifests', done: 44, unit: 'files' })).toBe('load manifests 44 files');
    expect(describePhase({ phase: 'render' })).toBe('render');
    expect(describePhase({ phase: 'read nodes', done: 3, total: 3, unit: 'nodes' })).toBe('read nodes 3 nodes');
  });
});

describe('ProgressReporter in lines mode', () => {
  it('writes one line per finished phase with its count and time, then the total, and nothing in between', () => {
    const { written, advance, reporter } = setUp('lines');
    reporter.report({ phase: 'load manifests' });
    advance(400);
    reporter.report({ phase: 'load manifests', done: 44, unit: 'files' });
    reporter.report({ phase: 'classify', total: 10000, unit: 'nodes' });
    advance(2_500);
    reporter.finish('done');
    expect(written.join('')).toBe('load manifests 44 files (400 ms)\nclassify 10,000 nodes (2.5 s)\nplan: done in 2.9 s (2 phases)\n');
  });

  it('names the phase that was running when the operation failed', () => {
    const { written, advance, reporter } = setUp('lines');
    reporter.report({ phase: 'validate', total: 30, unit: 'manifests' });
    advance(50);
    reporter.finish('failed');
    reporter.report({ phase: 'plan' });
    reporter.finish('done');
    expect(written.join('')).toBe('validate 30 manifests (50 ms)\nplan: failed after 50 ms in validate\n');
  });
});

describe('ProgressReporter in redraw mode', () => {
  it('redraws the live line at most once per interval however often it is told', () => {
    const { written, advance, reporter } = setUp('redraw');
    reporter.report({ phase: 'read nodes', done: 0, total: 1000, unit: 'nodes' });
    for (let done = 1; done <= 1000; done += 1) {
      advance(1);
      reporter.report({ phase: 'read nodes', done, total: 1000, unit: 'nodes' });
    }
    const redraws = written.filter((text) => text.startsWith('\r\u001b[2K… read nodes'));
    expect(redraws).toHaveLength(11);
    expect(redraws.at(-1)).toBe('\r\u001b[2K… read nodes 1,000 nodes 1.0 s');
  });

  it('erases the live line before a finished phase, a message or the final line, so nothing shares a line', () => {
    const { written, advance, reporter } = setUp('redraw');
    reporter.report({ phase: 'compile', total: 12, unit: 'nodes' });
    reporter.clear();
    written.push('an error message\n');
    advance(1_250);
    reporter.report({ phase: 'render' });
    reporter.finish('done');
    expect(written).toEqual([
      '\r\u001b[2K… compile 12 nodes 0 ms',
      '\r\u001b[2K',
      'an error message\n',
      '✓ compile 12 nodes (1.3 s)\n',
      '\r\u001b[2K… render 0 ms',
      '\r\u001b[2K',
      '✓ render (0 ms)\n',
      'plan: done in 1.3 s (2 phases)\n',
    ]);
  });
});

describe('startProgress', () => {
  const stream = (isTTY: boolean) => ({ isTTY, write: () => true });

  it('draws on a terminal, writes lines elsewhere only when asked, and stays silent with --quiet', () => {
    expect(startProgress({}, stream(true), 'plan')).toBeInstanceOf(ProgressReporter);
    expect(startProgress({}, stream(false), 'plan')).toBeUndefined();
    expect(startProgress({ progress: true }, stream(false), 'plan')).toBeInstanceOf(ProgressReporter);
    expect(startProgress({ quiet: true }, stream(true), 'plan')).toBeUndefined();
    expect(startProgress({ quiet: true, progress: true }, stream(false), 'plan')).toBeUndefined();
  });
});
