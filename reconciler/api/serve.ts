import { join } from 'node:path';
import { buildController, type ControllerSettings } from '../controller/build-controller.js';
import { readStatus } from '../controller/read-status.js';
import { asksForReplan } from '../controller/replan-on-report.js';
import type { Logger } from '../lib/logger.js';
import { SqliteControllerStore } from '../store/sqlite/sqlite-controller-store.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { IngestOutcome } from '../store/types.js';
import { createApp } from './app.js';
import { defaultAnalysisWorkers, startReportAnalysis } from './report-analysis-setup.js';
import { healthRoutes } from './routes/health.js';
import { hookRoutes } from './routes/hooks.js';
import { metricsRoutes } from './routes/metrics.js';
import type { ReportRouteOptions } from './routes/reports.js';
import { statusRoutes } from './routes/status.js';
import { createBootEndpoint, startEncEndpoint, type BootEndpointSettings, type EncEndpointSettings } from './serve-endpoints.js';
import { startServer, type RunningServer } from './server.js';

/** How long a stop waits for queued commit statuses to reach the forge. */
const STATUS_FLUSH_MS = 5_000;

export interface ServeSettings extends ControllerSettings {
  listen: { host: string; port: number };
  /** Webhook secrets (several while rotating); none refuses every webhook. */
  webhookSecrets: readonly string[];
  reports?: Partial<ReportRouteOptions>;
  /** Worker threads parsing and normalising reports off the event loop (default: cores − 1, at least 1). */
  reportAnalysisWorkers?: number;
  /** The ENC endpoint (mutual TLS, its own port); absent, no ENC is served. */
  enc?: EncEndpointSettings;
  /** Boot scripts and assets on the main listener; absent, no boot routes. */
  boot?: BootEndpointSettings;
}

export interface RunningPlinth {
  url: string;
  /** The ENC endpoint's URL, when one was configured. */
  encUrl?: string;
  /** Stops the controller (in-flight steps finish and are journaled), then the server, then the store. */
  stop(): Promise<void>;
}

/**
 * `plinth serve` as one process: the report API, the webhook, /metrics, /healthz and /v1/status on one
 * listener, and the controller following the branch. Example:
 * `const plinth = await startPlinth({ repo, branch: 'main', dataDir, listen: { host: '127.0.0.1', port: 8080 }, ... }, log)`.
 */
export async function startPlinth(settings: ServeSettings, log: Logger): Promise<RunningPlinth> {
  const dbPath = join(settings.dataDir, 'plinth.db');
  const store = SqliteStore.open(dbPath);
  const controllerStore = SqliteControllerStore.open(dbPath);
  const { controller, metrics, closeDrivers, flushStatuses } = await buildController(settings, { store, controllerStore }, log);
  const countNodesByState = async (): Promise<Record<string, number>> => (await readStatus(store, controllerStore)).nodesByState;
  const onReportStored = (outcome: IngestOutcome): void => {
    if (asksForReplan(outcome)) controller.requestReplan({ newMachine: outcome.kind === 'enrolled' });
  };
  const analysis = await startReportAnalysis({ size: settings.reportAnalysisWorkers ?? defaultAnalysisWorkers(), log });
  const app = createApp({ store, log, onReportStored, analyseReport: analysis.analyse, ...(settings.reports ? { reports: settings.reports } : {}) });
  app.route('/', hookRoutes({ secrets: settings.webhookSecrets, branch: settings.branch, trigger: () => controller.trigger(), log }));
  app.route('/', metricsRoutes({ metrics, countNodesByState }));
  app.route('/', healthRoutes({ checkStore: async () => void (await store.countRecords()), applying: () => controller.current.applying }));
  app.route('/', statusRoutes({ readStatus: () => readStatus(store, controllerStore) }));
  if (settings.boot) app.route('/', await createBootEndpoint(settings.boot, controllerStore, log));
  const encDir = settings.encDir ?? join(settings.dataDir, 'enc');
  const encServer: RunningServer | undefined = settings.enc
    ? await startEncEndpoint(settings.enc, { cluster: settings.cluster, dataDir: settings.dataDir, encDir, env: settings.env, log })
    : undefined;
  const server = await startServer(app, settings.listen);
  controller.start();
  log.info({ url: server.url, repo: settings.repo, branch: settings.branch }, 'plinth serving');
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    ...(encServer ? { encUrl: encServer.url } : {}),
    stop: () =>
      (stopping ??= (async () => {
        await controller.stop();
        // The last commit's outcome is worth a short wait: without it the forge shows `pending` until the next start.
        // The drivers close meanwhile: a stop waits for the longer of the two, not their sum.
        await Promise.all([flushStatuses(STATUS_FLUSH_MS), closeDrivers()]);
        await server.close();
        await analysis.close();
        await encServer?.close();
        await controllerStore.close();
        await store.close();
        log.info('plinth stopped');
      })()),
  };
}
