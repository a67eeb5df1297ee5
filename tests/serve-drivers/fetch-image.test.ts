import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createImageFetcher } from '../../reconciler/drivers/image/fetch-image.js';
import { runCommand } from '../../reconciler/lib/command.js';

describe('image source for image push (real HTTP server on loopback)', () => {
  const body = randomBytes(256 * 1024);
  const sha256 = createHash('sha256').update(body).digest('hex');
  let server: Server;
  let base: string;
  let work: string;
  let requests = 0;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'plinth-fetch-'));
    server = createServer((request, response) => {
      requests += 1;
      if (request.url === '/golden.img') response.end(body);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('downloads an http image once into <cache>/<sha256>, verified, and serves later nodes from there', async () => {
    const cacheDir = join(work, 'images-a');
    const before = requests;
    const image = await createImageFetcher({ cacheDir, runCommand })({ name: 'debian-12', url: `${base}/golden.img`, sha256, format: 'raw' });
    await createImageFetcher({ cacheDir, runCommand })({ name: 'debian-12', url: `${base}/golden.img`, sha256, format: 'raw' });

    expect(image).toEqual({ kind: 'golden', name: 'debian-12', path: join(cacheDir, sha256), format: 'raw', sha256 });
    expect((await readFile(image.path)).equals(body)).toBe(true);
    expect(requests - before).toBe(1);
  });

  it('refuses a download whose sha256 differs from the manifest and keeps nothing of it', async () => {
    const cacheDir = join(work, 'images-b');
    const wrong = 'a'.repeat(64);

    const fetching = createImageFetcher({ cacheDir, runCommand })({ name: 'debian-12', url: `${base}/golden.img`, sha256: wrong, format: 'raw' });

    await expect(fetching).rejects.toMatchObject({ code: 'IMAGE_CHECKSUM', message: expect.stringContaining(`has sha256 ${sha256}, the Image manifest says ${wrong}`) });
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('says which URL answered with an HTTP error', async () => {
    const fetching = createImageFetcher({ cacheDir: join(work, 'images-c'), runCommand })({ name: 'debian-12', url: `${base}/missing.img`, sha256 });

    await expect(fetching).rejects.toMatchObject({ code: 'IMAGE_FETCH', message: `Image debian-12: ${base}/missing.img answered HTTP 404` });
  });
});
