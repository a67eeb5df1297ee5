import { webcrypto } from 'node:crypto';
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { DecideIngest, IngestContext, IngestOutcome, ReportSubmission } from '../types.js';
import type { NodeRows } from './node-rows.js';
import type { ReportInsert, ReportRows } from './report-rows.js';

const gzipAsync = promisify(gzip);

/** A submission with its body already compressed, ready to be written synchronously in a transaction. */
export interface PreparedReport<T> {
  submission: ReportSubmission<T>;
  row: Omit<ReportInsert, 'nodeId'>;
}

/**
 * Uses the caller's encoding when it made one (see `encodeReport`); otherwise compression and hashing run
 * on libuv's thread pool, off the event loop and outside the transaction, at the same gzip level.
 */
export async function prepareReport<T>(submission: ReportSubmission<T>): Promise<PreparedReport<T>> {
  const { encoded } = submission;
  if (encoded) {
    const { rawSha256, rawBytes, inventoryJson } = encoded;
    // A Buffer sent from a worker thread arrives as a plain Uint8Array: view the same bytes, no copy.
    const rawGzip = Buffer.from(encoded.rawGzip.buffer, encoded.rawGzip.byteOffset, encoded.rawGzip.byteLength);
    const row = { receivedAt: submission.receivedAt, sourceAddress: submission.sourceAddress ?? null, rawGzip, rawSha256, rawBytes, inventoryJson };
    return { submission, row };
  }
  const raw = Buffer.from(submission.rawBody.buffer, submission.rawBody.byteOffset, submission.rawBody.byteLength);
  const [rawGzip, digest] = await Promise.all([gzipAsync(raw, { level: constants.Z_BEST_SPEED }), webcrypto.subtle.digest('SHA-256', raw)]);
  return {
    submission,
    row: {
      receivedAt: submission.receivedAt,
      sourceAddress: submission.sourceAddress ?? null,
      rawGzip,
      rawSha256: Buffer.from(digest).toString('hex'),
      rawBytes: raw.byteLength,
      inventoryJson: JSON.stringify(submission.inventory),
    },
  };
}

/**
 * Reads what the store knows about the claim, asks `decide`, and writes the outcome. Must run inside a
 * transaction: the read and the write are one atomic step, so two reports racing for one identity
 * cannot both enrol it.
 */
export function writeReport<T>(nodes: NodeRows, reports: ReportRows, prepared: PreparedReport<T>, decide: DecideIngest<T>): IngestOutcome {
  const { claim, receivedAt } = prepared.submission;
  const claimed = nodes.get(claim.id);
  const context: IngestContext<T> = {
    claimed,
    macOwners: nodes.findMacOwners(claim.macs, claim.id),
    bmcOwners: nodes.findBmcOwners(claim.bmcMac, claim.id),
    previousInventory: claimed ? reports.previousInventory<T>(claim.id) : undefined,
  };
  const decision = decide(claim, context);
  if (decision.kind === 'conflict') {
    const reportId = reports.add({ ...prepared.row, nodeId: null });
    const conflictId = reports.addConflict(reportId, claim, decision, receivedAt);
    return { kind: 'conflict', reportId, conflictId, reason: decision.reason, message: decision.message, nodeIds: decision.nodeIds };
  }
  if (decision.kind === 'enrol') nodes.enrol(claim, receivedAt);
  else nodes.markSeen(claim.id, receivedAt);
  const reportId = reports.add({ ...prepared.row, nodeId: claim.id });
  const changes = decision.kind === 'refresh' ? decision.changes : [];
  reports.addEvents(claim.id, reportId, changes, receivedAt);
  const node = nodes.get(claim.id);
  if (!node) throw new Error(`node ${claim.id} vanished inside its own transaction`);
  return { kind: decision.kind === 'enrol' ? 'enrolled' : 'refreshed', node, reportId, changes };
}
