import { createHash } from 'node:crypto';
import { constants, gzipSync } from 'node:zlib';
import type { EncodedReport } from '../types.js';

/**
 * Encodes a report for storage, synchronously: meant for a worker thread that already holds the body (the
 * API's analysis pool), where a synchronous gzip costs less than handing the body to libuv's pool and back.
 * The fastest gzip level is used: tool output is repetitive text that shrinks about sevenfold even so
 * (ninefold at the default level), at 40 % of the default level's CPU (measured over the real dumps).
 *
 * @example encodeReport(body, inventory).rawSha256
 */
export function encodeReport(rawBody: Uint8Array, inventory: unknown): EncodedReport {
  return encodeGzippedReport(gzipSync(rawBody, { level: constants.Z_BEST_SPEED }), rawBody, inventory);
}

/**
 * The stored form of a body that arrived gzip-compressed: those bytes are kept as they are, so only the
 * digest and size of the inflated body (the JSON that was checked) are computed.
 *
 * @example encodeGzippedReport(received, gunzipSync(received), inventory).rawBytes
 */
export function encodeGzippedReport(gzip: Uint8Array, rawBody: Uint8Array, inventory: unknown): EncodedReport {
  return {
    rawGzip: gzip,
    rawSha256: createHash('sha256').update(rawBody).digest('hex'),
    rawBytes: rawBody.byteLength,
    inventoryJson: JSON.stringify(inventory),
  };
}
