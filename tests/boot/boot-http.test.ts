import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createIpxeBootDriver, loadBootTemplates } from '../../reconciler/drivers/boot/boot-scripts.js';
import { bootRoutes } from '../../reconciler/api/routes/boot.js';

const run = promisify(execFile);

/** Fetches a URL with curl (a real HTTP client) and returns the status line's code, headers and body file. */
async function curl(url: string, extra: string[] = []): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-curl-'));
  try {
    await run('curl', ['-sS', '--max-time', '20', '-D', join(dir, 'headers'), '-o', join(dir, 'body'), ...extra, url]);
    const [statusLine = '', ...lines] = (await readFile(join(dir, 'headers'), 'utf8')).trim().split('\r\n');
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const body = await readFile(join(dir, 'body')).catch(() => Buffer.alloc(0));
    return { status: Number(statusLine.split(' ')[1]), headers, body };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('boot routes over a real socket (@hono/node-server)', () => {
  let dir: string;
  let server: ServerType;
  let base: string;
  let asset: Buffer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-boot-http-'));
    asset = randomBytes(3 * 1024 * 1024 + 17);
    await writeFile(join(dir, 'initrd.gz'), asset);
    const boot = createIpxeBootDriver(
      { controllerUrl: 'http://127.0.0.1:8080', discovery: { kernel: 'vmlinuz', initrd: 'initrd.gz' }, deploy: { kernel: 'vmlinuz', initrd: 'initrd.gz' } },
      await loadBootTemplates(),
    );
    const findNodeState = (mac: string) => (mac === '52:54:00:aa:00:03' ? 'active' : undefined);
    const app = bootRoutes({ boot, findNodeState, issueBootToken: () => randomBytes(18).toString('base64url'), assetsDir: dir });
    server = await new Promise<ServerType>((resolve) => {
      const started: ServerType = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('sends a large asset whole, with its exact Content-Length', async () => {
    const response = await curl(`${base}/boot/assets/initrd.gz`);
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe(String(asset.length));
    expect(createHash('sha256').update(response.body).digest('hex')).toBe(createHash('sha256').update(asset).digest('hex'));
  });

  it('sends the requested byte range', async () => {
    const response = await curl(`${base}/boot/assets/initrd.gz`, ['-r', '1048576-1048675']);
    expect(response.status).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes 1048576-1048675/${asset.length}`);
    expect(response.body).toEqual(asset.subarray(1048576, 1048676));
  });

  it('resumes a partial download to the identical file', async () => {
    const partial = join(dir, 'partial');
    await writeFile(partial, asset.subarray(0, 1000));
    await run('curl', ['-sS', '--max-time', '20', '-C', '-', '-o', partial, `${base}/boot/assets/initrd.gz`]);
    expect((await readFile(partial)).equals(asset)).toBe(true);
  });

  it('answers 416 to a range past the end', async () => {
    const response = await curl(`${base}/boot/assets/initrd.gz`, ['-r', `${asset.length}-`]);
    expect(response.status).toBe(416);
    expect(response.headers['content-range']).toBe(`bytes */${asset.length}`);
  });

  it('answers 304 to a revalidation with the current ETag', async () => {
    const { headers } = await curl(`${base}/boot/assets/initrd.gz`, ['-I']);
    const response = await curl(`${base}/boot/assets/initrd.gz`, ['-H', `If-None-Match: ${headers.etag}`]);
    expect(response.status).toBe(304);
    expect(response.body.length).toBe(0);
  });

  it('answers HEAD with headers only', async () => {
    const response = await curl(`${base}/boot/assets/initrd.gz`, ['-I']);
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe(String(asset.length));
    expect(response.headers['last-modified']).toMatch(/GMT$/);
  });

  it('refuses path traversal sent verbatim', async () => {
    expect((await curl(`${base}/boot/assets/../../etc/passwd`, ['--path-as-is'])).status).toBe(404);
    expect((await curl(`${base}/boot/assets/..%2f..%2fetc%2fpasswd`, ['--path-as-is'])).status).toBe(404);
  });

  it('serves the per-MAC script to an unknown node', async () => {
    const response = await curl(`${base}/boot/52-54-00-aa-00-01.ipxe`);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toMatch(/^#!ipxe\n[\s\S]*plinth\.mode=discovery plinth\.url=http:\/\/127\.0\.0\.1:8080 plinth\.report_url=http:\/\/127\.0\.0\.1:8080\/v1\/reports plinth\.token=[\w-]{24} /);
  });

  it('sends each script with its own length, whatever was sent before', async () => {
    const local = await curl(`${base}/boot/52-54-00-aa-00-03.ipxe`);
    const discovery = await curl(`${base}/boot/52-54-00-aa-00-04.ipxe`);
    expect(Number(local.headers['content-length'])).toBe(local.body.length);
    expect(Number(discovery.headers['content-length'])).toBe(discovery.body.length);
    expect(discovery.body.toString()).toMatch(/\nreboot\n$/);
  });
});
