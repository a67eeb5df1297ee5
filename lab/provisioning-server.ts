/**
 * The lab's stand-in for `plinth serve` until the controller runs it: plinth's report API and boot routes on the
 * provisioning bridge, storing reports in a SQLite store. Runs inside the lab namespace:
 * `ip netns exec plinth-lab node --import tsx lab/provisioning-server.ts SETTINGS.json`; prints "listening" once ready.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createApp } from '../reconciler/api/app.js';
import { bootRoutes } from '../reconciler/api/routes/boot.js';
import { startServer } from '../reconciler/api/server.js';
import { createIpxeBootDriver, loadBootTemplates } from '../reconciler/drivers/boot/boot-scripts.js';
import type { NodeLifecycleState } from '../reconciler/drivers/boot/choose-boot-target.js';
import { createLogger } from '../reconciler/lib/logger.js';
import { SqliteStore } from '../reconciler/store/sqlite/sqlite-store.js';

export interface ProvisioningServerSettings {
  host: string;
  port: number;
  databasePath: string;
  assetsDir: string;
  /** Kernel arguments for the live system, e.g. `console=ttyS0 quiet panic=10`. */
  kernelArgs: string;
  /**
   * A JSON file of lifecycle states by MAC that win over the store's: without the controller nothing moves a node
   * to `provisioning`, so this is how the lab sends a VM into the deploy environment.
   */
  nodeStatesPath: string;
}

async function readForcedState(path: string, mac: string): Promise<NodeLifecycleState | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as Record<string, NodeLifecycleState>)[mac];
}

async function main(settingsPath: string): Promise<void> {
  const settings = JSON.parse(await readFile(settingsPath, 'utf8')) as ProvisioningServerSettings;
  const log = createLogger({ level: 'info' });
  const store = SqliteStore.open(settings.databasePath);
  const controllerUrl = `http://${settings.host}:${settings.port}`;
  const image = { kernel: 'vmlinuz', initrd: 'initrd.gz' };
  const boot = createIpxeBootDriver({ controllerUrl, kernelArgs: settings.kernelArgs, discovery: image, deploy: image }, await loadBootTemplates());
  // A lab on its own bridge: every VM of a parallel boot reports within seconds, so no per-source limit.
  const app = createApp({ store, log, reports: { rateLimit: false } });
  app.route('/', bootRoutes({
    boot,
    findNodeState: async (mac) =>
      (await readForcedState(settings.nodeStatesPath, mac)) ??
      ((await store.listNodes()).find((node) => node.macs.includes(mac))?.state as NodeLifecycleState | undefined),
    issueBootToken: () => randomBytes(24).toString('base64url'),
    assetsDir: settings.assetsDir,
    log,
  }));
  const server = await startServer(app, { host: settings.host, port: settings.port });
  log.info({ url: server.url }, 'listening');
  const stop = (): void => {
    void server.close().finally(() => store.close().finally(() => process.exit(0)));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

const settingsPath = process.argv[2];
if (!settingsPath) {
  process.stderr.write('usage: provisioning-server.ts SETTINGS.json\n');
  process.exit(2);
}
await main(settingsPath);
