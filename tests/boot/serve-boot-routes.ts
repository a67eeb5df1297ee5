/**
 * Runs plinth's boot routes on @hono/node-server at HOST:PORT, for tests that need them inside a network
 * namespace (`ip netns exec NS node --import tsx tests/boot/serve-boot-routes.ts HOST PORT ASSETS STATE`).
 * Every request is printed to stdout as a JSON line `{ method, path, status }`; "listening" once ready.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { randomBytes } from 'node:crypto';
import { bootRoutes } from '../../reconciler/api/routes/boot.js';
import { createIpxeBootDriver, loadBootTemplates } from '../../reconciler/drivers/boot/boot-scripts.js';
import type { NodeLifecycleState } from '../../reconciler/drivers/boot/choose-boot-target.js';

const [hostname = '127.0.0.1', port = '8080', assetsDir = '.', state] = process.argv.slice(2);
const controllerUrl = `http://${hostname}:${port}`;
const boot = createIpxeBootDriver(
  { controllerUrl, discovery: { kernel: 'vmlinuz', initrd: 'initrd.gz' }, deploy: { kernel: 'vmlinuz', initrd: 'initrd.gz' } },
  await loadBootTemplates(),
);
const app = new Hono();
app.use(async (c, next) => {
  await next();
  process.stdout.write(`${JSON.stringify({ method: c.req.method, path: new URL(c.req.url).pathname, status: c.res.status })}\n`);
});
app.route('/', bootRoutes({
  boot,
  findNodeState: () => state as NodeLifecycleState | undefined,
  issueBootToken: () => randomBytes(18).toString('base64url'),
  assetsDir,
}));
const server = serve({ fetch: app.fetch, hostname, port: Number(port) }, () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
