/**
 * A plinth report API in its own process, for tests that must kill it: `tsx report-server.ts DB_PATH`.
 * Prints `listening URL` on stdout once it accepts connections.
 */
import { createApp } from '../../reconciler/api/app.js';
import { createReportAnalysisPool } from '../../reconciler/api/report-analysis.js';
import { startServer } from '../../reconciler/api/server.js';
import { silentLogger } from '../../reconciler/lib/logger.js';
import { SqliteStore } from '../../reconciler/store/sqlite/sqlite-store.js';

const databasePath = process.argv[2];
if (!databasePath) {
  process.stderr.write('usage: report-server.ts DB_PATH\n');
  process.exit(2);
}
const store = SqliteStore.open(databasePath);
const analysis = createReportAnalysisPool(2);
const app = createApp({ store, log: silentLogger(), analyseReport: analysis.analyse, reports: { rateLimit: false } });
const server = await startServer(app, { host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${server.url}\n`);
