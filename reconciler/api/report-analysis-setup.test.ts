import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../lib/logger.js';
import { defaultAnalysisWorkers, startReportAnalysis } from './report-analysis-setup.js';

describe('startReportAnalysis', () => {
  it('falls back to inline analysis, saying so in one log line, when no worker can start', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    const analysis = await startReportAnalysis({ size: 1, log, workerScript: new URL('./no-such-analysis-worker.js', import.meta.url) });
    try {
      expect(analysis.mode).toBe('inline');
      expect((await analysis.analyse(Buffer.from('{}'))).kind).toBe('refused');
      expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['report analysis runs on the event loop: no worker thread could start']);
    } finally {
      await analysis.close();
    }
  });

  it('sizes the pool to the cores but one, and never below one', () => {
    expect([defaultAnalysisWorkers(2), defaultAnalysisWorkers(8), defaultAnalysisWorkers(1)]).toEqual([1, 7, 1]);
  });
});
