import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { CommandRunner } from '../../lib/command.js';
import { PlinthError } from '../../lib/errors.js';
import type { GoldenImage } from './types.js';

/** An Image manifest's golden image, as apply receives it. */
export interface ImageSource {
  name: string;
  url: string;
  /** sha256 of the image file the URL serves. */
  sha256: string;
  format?: string;
}

export interface ImageFetcherDeps {
  /** `<data>/images`: downloads are kept there under their sha256. */
  cacheDir: string;
  runCommand: CommandRunner;
  fetch?: typeof globalThis.fetch;
}

/** Turns an Image into a local raw file to push; one call per image and digest, however many nodes ask at once. */
export type ImageFetcher = (source: ImageSource) => Promise<GoldenImage>;

/** A URL fit for logs and errors: credentials in it are dropped. */
function describeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

async function digestFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Streams the body to a temp file while hashing it; the file is renamed into the cache only when the digest matches. */
async function download(source: ImageSource, url: URL, target: string, fetchImpl: typeof globalThis.fetch): Promise<void> {
  const temp = `${target}.part`;
  const response = await fetchImpl(url).catch((error: unknown) => {
    throw new PlinthError('IMAGE_FETCH', `Image ${source.name}: downloading ${describeUrl(url)} failed`, { cause: error, transient: true, details: { image: source.name } });
  });
  if (!response.ok || !response.body) {
    throw new PlinthError('IMAGE_FETCH', `Image ${source.name}: ${describeUrl(url)} answered HTTP ${response.status}`, { transient: response.status >= 500, details: { image: source.name, status: response.status } });
  }
  const hash = createHash('sha256');
  const tee = new Transform({ transform: (chunk: Buffer, _encoding, done) => done(null, hash.update(chunk) && chunk) });
  try {
    await pipeline(Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]), tee, createWriteStream(temp, { mode: 0o600 }));
    const actual = hash.digest('hex');
    if (actual !== source.sha256) throw checksumMismatch(source, describeUrl(url), actual);
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}

function checksumMismatch(source: ImageSource, where: string, actual: string): PlinthError {
  return new PlinthError('IMAGE_CHECKSUM', `Image ${source.name}: ${where} has sha256 ${actual}, the Image manifest says ${source.sha256}`, {
    details: { image: source.name, expected: source.sha256, actual },
  });
}

/** The file the URL names, downloaded and verified when it is remote, verified in place when it is local. */
async function localFile(source: ImageSource, deps: ImageFetcherDeps): Promise<string> {
  const url = new URL(source.url);
  if (url.protocol === 'file:') {
    const path = fileURLToPath(url);
    if (!(await exists(path))) throw new PlinthError('IMAGE_FETCH', `Image ${source.name}: ${path} does not exist`, { details: { image: source.name } });
    const actual = await digestFile(path);
    if (actual !== source.sha256) throw checksumMismatch(source, path, actual);
    return path;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PlinthError('IMAGE_INVALID', `Image ${source.name}: URL scheme ${url.protocol} is not supported (file, http, https)`, { details: { image: source.name } });
  }
  const target = join(deps.cacheDir, source.sha256);
  if (!(await exists(target))) await download(source, url, target, deps.fetch ?? globalThis.fetch);
  return target;
}

/**
 * qcow2 is expanded to raw on the controller, once: the node then needs no qemu-img, and the digest read back
 * from its disk can be compared with the raw file's.
 */
async function expandQcow2(source: ImageSource, file: string, deps: ImageFetcherDeps): Promise<string> {
  const target = join(deps.cacheDir, `${source.sha256}.raw`);
  if (await exists(target)) return target;
  const temp = `${target}.part`;
  const result = await deps.runCommand('qemu-img', ['convert', '-f', 'qcow2', '-O', 'raw', file, temp]);
  if (result.exitCode !== 0) {
    await rm(temp, { force: true });
    throw new PlinthError('IMAGE_FORMAT', `Image ${source.name}: qemu-img could not expand the qcow2 file (exit ${result.exitCode})`, { details: { image: source.name, stderr: result.stderr.slice(-2000) } });
  }
  await rename(temp, target);
  return target;
}

async function prepareImage(source: ImageSource, deps: ImageFetcherDeps): Promise<GoldenImage> {
  await mkdir(deps.cacheDir, { recursive: true, mode: 0o700 });
  const file = await localFile(source, deps);
  if (source.format === 'qcow2') {
    const raw = await expandQcow2(source, file, deps);
    return { kind: 'golden', name: source.name, path: raw, format: 'raw', sha256: await digestFile(raw) };
  }
  return { kind: 'golden', name: source.name, path: file, format: 'raw', sha256: source.sha256 };
}

/**
 * Image files for image push: `file://` read in place, `http(s)://` downloaded once to `<cacheDir>/<sha256>`;
 * both verified against the manifest's sha256 before any node receives them. Concurrent requests for the
 * same image share one preparation; a failed one is retried by the next request.
 * Example: `const image = await createImageFetcher({ cacheDir, runCommand })(node.image)`.
 */
export function createImageFetcher(deps: ImageFetcherDeps): ImageFetcher {
  const prepared = new Map<string, Promise<GoldenImage>>();
  return (source) => {
    const key = `${source.sha256} ${source.url} ${source.format ?? 'raw'}`;
    let pending = prepared.get(key);
    if (!pending) {
      pending = prepareImage(source, deps);
      prepared.set(key, pending);
      pending.catch(() => prepared.delete(key));
    }
    return pending;
  };
}
