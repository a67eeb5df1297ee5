import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { createIpxeBootDriver, loadBootTemplates } from '../../drivers/boot/boot-scripts.js';
import type { NodeLifecycleState } from '../../drivers/boot/choose-boot-target.js';
import { bootRoutes } from './boot.js';

const states = new Map<string, NodeLifecycleState>([
  ['52:54:00:aa:00:02', 'provisioning'],
  ['52:54:00:aa:00:03', 'active'],
]);
const settings = {
  controllerUrl: 'http://10.250.0.1:8080',
  discovery: { kernel: 'vmlinuz', initrd: 'initrd.gz' },
  deploy: { kernel: 'deploy/vmlinuz', initrd: 'deploy/initrd.gz' },
};

describe('boot routes', () => {
  let dir: string;
  let app: Hono;
  const issued: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-boot-routes-'));
    await writeFile(join(dir, 'initrd.gz'), '0123456789abcdefghij');
    app = bootRoutes({
      boot: createIpxeBootDriver(settings, await loadBootTemplates()),
      findNodeState: (mac) => {
        if (mac === '52:54:00:aa:00:99') throw new Error('store unavailable');
        return states.get(mac);
      },
      issueBootToken: (mac, target) => {
        issued.push(`${mac} ${target}`);
        return `token-for-${mac.replaceAll(':', '')}`;
      },
      assetsDir: dir,
    });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sends an unknown MAC the discovery system with a fresh token, never cached', async () => {
    const response = await app.request('/boot/52-54-00-AA-00-01.ipxe');

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const script = await response.text();
    expect(script).toContain('plinth.mode=discovery');
    expect(script).toContain('plinth.token=token-for-525400aa0001 plinth.mac=52:54:00:aa:00:01');
    expect(issued).toContain('52:54:00:aa:00:01 discovery');
  });

  it('accepts the colon spelling of the MAC', async () => {
    expect(await (await app.request('/boot/52:54:00:aa:00:02.ipxe')).text()).toContain('plinth.mode=deploy');
  });

  it('sends an active node to its local disk without issuing a token', async () => {
    const script = await (await app.request('/boot/52-54-00-aa-00-03.ipxe')).text();
    expect(script).toContain('sanboot --no-describe --drive 0x80');
    expect(issued).not.toContain('52:54:00:aa:00:03 local');
  });

  it('sends a retry script when the node state cannot be read', async () => {
    const response = await app.request('/boot/52-54-00-aa-00-99.ipxe');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('reboot');
  });

  it('refuses a malformed MAC', async () => {
    expect((await app.request('/boot/not-a-mac.ipxe')).status).toBe(400);
    expect((await app.request('/boot/52-54-00-aa-00-01.txt')).status).toBe(404);
  });

  it('serves an asset with length and validators', async () => {
    const response = await app.request('/boot/assets/initrd.gz');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('20');
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]+-14"$/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await response.text()).toBe('0123456789abcdefghij');
  });

  it('serves a byte range with 206', async () => {
    const response = await app.request('/boot/assets/initrd.gz', { headers: { Range: 'bytes=10-14' } });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 10-14/20');
    expect(await response.text()).toBe('abcde');
  });

  it('answers 416 to a range past the end', async () => {
    const response = await app.request('/boot/assets/initrd.gz', { headers: { Range: 'bytes=20-' } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */20');
  });

  it('answers 304 when the client holds the current version', async () => {
    const etag = (await app.request('/boot/assets/initrd.gz')).headers.get('etag') ?? '';
    const response = await app.request('/boot/assets/initrd.gz', { headers: { 'If-None-Match': etag } });
    expect(response.status).toBe(304);
    expect(await response.text()).toBe('');
  });

  it('answers HEAD with the length and no body', async () => {
    const response = await app.request('/boot/assets/initrd.gz', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('20');
    expect(await response.text()).toBe('');
  });

  it.each(['/boot/assets/..%2F..%2Fetc%2Fpasswd', '/boot/assets/%2e%2e/%2e%2e/etc/passwd', '/boot/assets/missing'])('answers 404 to %s', async (path) => {
    expect((await app.request(path)).status).toBe(404);
  });
});
