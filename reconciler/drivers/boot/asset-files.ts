import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { StaticFile } from '../../lib/static-response.js';

/** A boot asset found on disk: its real path and what a response needs to know about it. */
export interface AssetFile extends StaticFile {
  path: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.ipxe': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.cfg': 'text/plain; charset=utf-8',
  '.sh': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.iso': 'application/x-iso9660-image',
};

/**
 * Maps the part of a URL path after `/boot/assets/` (still percent-encoded) to a regular file under `root`,
 * or undefined when there is none. Each segment is decoded on its own, so `%2F` cannot introduce a separator;
 * `.`, `..`, empty and hidden segments are refused; and the real path (symbolic links resolved) must stay
 * under the real root, so a link cannot lead out of it either.
 */
export async function findAssetFile(root: string, encodedPath: string): Promise<AssetFile | undefined> {
  const segments = decodeSegments(encodedPath);
  if (!segments) return undefined;
  try {
    const realRoot = await realpath(root);
    const path = await realpath(join(realRoot, ...segments));
    if (!path.startsWith(realRoot + sep)) return undefined;
    const info = await stat(path);
    if (!info.isFile()) return undefined;
    return { path, size: info.size, mtimeMs: info.mtimeMs, contentType: CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream' };
  } catch (error) {
    if (['ENOENT', 'ENOTDIR', 'ELOOP', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

function decodeSegments(encodedPath: string): string[] | undefined {
  const segments: string[] = [];
  for (const raw of encodedPath.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '' || segment.startsWith('.') || /[/\\\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  return segments.length > 0 ? segments : undefined;
}
