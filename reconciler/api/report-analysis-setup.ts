import { availableParallelism } from 'node:os';
import { describeError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { analyseReportInline, createReportAnalysisPool, type AnalyseReport } from './report-analysis.js';

export interface ReportAnalysis {
  analyse: AnalyseReport;
  /** `workers` when a pool answered its first task; `inline` on the event loop. */
  mode: 'workers' | 'inline';
  close(): Promise<void>;
}

/** One thread per core but the one the event loop needs, and at least one. */
export function defaultAnalysisWorkers(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/** A worker still loading its script (tsx compiles it from source) on a loaded machine takes seconds, not minutes. */
const PROBE_TIMEOUT_MS = 30_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the analysis worker within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts the report-analysis worker pool and proves it with one task; where no worker thread can start
 * (a host that loads modules its own way, such as a test runner's VM), analysis runs inline on the event
 * loop instead, said in one log line. Works from the compiled build and from source under tsx.
 *
 * @example const analysis = await startReportAnalysis({ size: 1, log }); await analysis.analyse(body)
 */
export async function startReportAnalysis(options: { size: number; log: Logger; workerScript?: URL }): Promise<ReportAnalysis> {
  const { size, log } = options;
  let pool: ReturnType<typeof createReportAnalysisPool> | undefined;
  try {
    pool = createReportAnalysisPool(size, options.workerScript);
    // An empty object is refused by the schema: any answer at all shows the worker runs the analysis.
    const probe = await withTimeout(pool.analyse(Buffer.from('{}')), PROBE_TIMEOUT_MS);
    if (probe.kind !== 'refused') throw new Error('the analysis worker accepted an empty report');
    log.info({ workers: size }, 'report analysis on worker threads');
    const running = pool;
    return { analyse: running.analyse, mode: 'workers', close: () => running.close() };
  } catch (error) {
    await pool?.close().catch(() => undefined);
    log.warn({ reason: describeError(error) }, 'report analysis runs on the event loop: no worker thread could start');
    return { analyse: analyseReportInline, mode: 'inline', close: async () => undefined };
  }
}
