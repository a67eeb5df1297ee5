/** Worker-thread entry: analyses report bodies off the event loop (see `createReportAnalysisPool`). */
import { serveWorkerTasks } from '../lib/worker-pool.js';
import { analyseReport, withoutInventoryObject, type AnalysisTask } from './report-analysis.js';

serveWorkerTasks(({ raw, coding }: AnalysisTask) => withoutInventoryObject(analyseReport(raw, { encodeForStorage: true }, coding)));
