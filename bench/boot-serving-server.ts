/**
 * The plinth side of bench/boot-serving.ts, run as its own process so that its CPU time can be read from /proc
 * and the benchmark driver does not share its event loop. Prints the port once listening.
 * Usage: node --import tsx bench/boot-serving-server.ts ASSETS_DIR NODES [web-stream]
 */
import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { bootRoutes } from '../reconciler/api/routes/boot.js';
import { createIpxeBootDriver, loadBootTemplates } from '../reconciler/drivers/boot/boot-scripts.js';
import type { NodeLifecycleState } from '../reconciler/drivers/boot/choose-boot-target.js';

const [assetsDir = '.', nodeCount = '10000', mode = 'pipe'] = process.argv.slice(2);

/** MACs 52:54:00:00:00:00 upwards, spread over the lifecycle states that render different scripts. */
function buildInventory(count: number): Map<string, NodeLifecycleState> {
  const states: NodeLifecycleState[] = ['discovering', 'provisioning', 'active', 'installed'];
  const nodes = new Map<string, NodeLifecycleState>();
  for (let n = 0; n < count; n += 1) {
    const mac = ['52', '54', '00', (n >> 16) & 255, (n >> 8) & 255, n & 255].map((part) => part.toString(16).padStart(2, '0')).join(':');
    nodes.set(mac, states[n % states.length] ?? 'active');
  }
  return nodes;
}

const nodes = buildInventory(Number(nodeCount));
const boot = createIpxeBootDriver(
  {
    controllerUrl: 'http://10.250.0.1:8080',
    discovery: { kernel: 'discovery/vmlinuz', initrd: 'discovery/initrd.img' },
    deploy: { kernel: 'deploy/vmlinuz', initrd: 'deploy/initrd.img' },
    kernelArgs: 'console=ttyS0,115200 panic=30',
  },
  await loadBootTemplates(),
);
const app = bootRoutes({
  boot,
  findNodeState: (mac) => nodes.get(mac),
  issueBootToken: () => randomBytes(18).toString('base64url'),
  assetsDir,
});
// Without the node response in the environment, the route falls back to a web ReadableStream body.
const fetch = mode === 'web-stream' ? (request: Request) => app.fetch(request) : app.fetch;
const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
