/** Worker-thread entry: analyses report bodies off the event loop (see `createReportAnalysisPool`). */
import { serveWorkerTasks } from '../lib/worker-pool.js';
import { analyseReport } from './report-analysis.js';

serveWorkerTasks((raw: Uint8Array) => analyseReport(raw, { encodeForStorage: true }));
