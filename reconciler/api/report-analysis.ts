import { normaliseReport } from '../discovery/normalise.js';
import { claimFromInventory } from '../inventory/enrol.js';
import { HardwareReportSchema, type HardwareReport } from '../discovery/report-schema.js';
import type { Inventory } from '../inventory/types.js';
import { WorkerPool } from '../lib/worker-pool.js';
import { encodeGzippedReport, encodeReport } from '../store/sqlite/encode-report.js';
import type { EncodedReport, NodeClaim } from '../store/types.js';
import { HttpError, isHttpError, type RequestProblem } from './http-error.js';
import { parseJsonBody } from './middleware/json-body.js';
import { compileSchemaCheck } from './middleware/schema-validator.js';
import { IDENTITY_CODING, inflateReportBody, type ReportBodyCoding } from './report-analysis-body.js';

/**
 * The CPU-bound part of receiving a report, as one pure function of the body bytes: JSON syntax, schema,
 * normalisation, identity, and in a worker the encoding for storage. It returns plain data (no class
 * instances) so it can run in a worker thread.
 */
export type ReportAnalysis =
  | {
      kind: 'accepted';
      /**
       * The normalised inventory. A worker leaves it out and sends only `encoded.inventoryJson`: rebuilding
       * the object from a message costs the event loop four times what parsing that JSON does, and most
       * reports (a machine seen for the first time) never need it there. See `inventoryOf`.
       */
      inventory?: Inventory;
      /** The identity the report claims, for the store's conflict check. */
      claim: NodeClaim;
      warnings: string[];
      /** The body to keep when it differs from the one received: the agent's enrolment token blanked out. */
      redactedBody?: string;
      /** The stored form of the (redacted) body and the inventory, when asked for (see `AnalyseOptions`). */
      encoded?: EncodedReport;
    }
  | { kind: 'refused'; status: number; code: string; message: string; problems: RequestProblem[] };

let checkReport: ReturnType<typeof compileSchemaCheck<HardwareReport>> | undefined;

function refuse(error: HttpError): ReportAnalysis {
  return { kind: 'refused', status: error.status, code: error.code, message: error.message, problems: error.problems };
}

export interface AnalyseOptions {
  /**
   * Also compress, hash and serialise what will be stored. A worker thread does it because it holds the
   * body already and its CPU is spread over the cores; inline, the store does it on libuv's pool instead.
   * A gzip body is always described for storage (as received), whatever this says.
   */
  encodeForStorage?: boolean;
}

/**
 * The stored form of an accepted body, when the analysis makes it: always for a gzip body, which is kept as
 * the agent compressed it (unless its token had to be blanked out), else when asked for.
 */
function encodeAccepted(
  body: { raw: Uint8Array; json: Uint8Array; redactedBody: string | undefined; inventory: Inventory },
  coding: ReportBodyCoding,
  options: AnalyseOptions,
): EncodedReport | undefined {
  if (body.redactedBody !== undefined) {
    return options.encodeForStorage || coding.kind === 'gzip' ? encodeReport(Buffer.from(body.redactedBody), body.inventory) : undefined;
  }
  // Inflating the kept bytes gives back exactly the JSON that was checked, so they need no new compression.
  if (coding.kind === 'gzip') return encodeGzippedReport(body.raw, body.json, body.inventory);
  return options.encodeForStorage ? encodeReport(body.raw, body.inventory) : undefined;
}

/** @example analyseReport(Buffer.from(body)).kind // 'accepted' */
export function analyseReport(raw: Uint8Array, options: AnalyseOptions = {}, coding: ReportBodyCoding = IDENTITY_CODING): ReportAnalysis {
  let value: unknown;
  let json: Uint8Array;
  try {
    json = coding.kind === 'gzip' ? inflateReportBody(raw, coding.inflatedLimitBytes) : raw;
    value = parseJsonBody(json);
  } catch (error) {
    if (isHttpError(error)) return refuse(error);
    throw error;
  }
  checkReport ??= compileSchemaCheck<HardwareReport>(HardwareReportSchema);
  const checked = checkReport(value);
  if (!checked.ok) {
    const count = checked.problems.length;
    const message = `report does not match the hardware-report schema (${count} problem${count === 1 ? '' : 's'})`;
    return refuse(new HttpError(400, 'API_INVALID_REPORT', message, { problems: checked.problems }));
  }
  const { inventory, warnings } = normaliseReport(checked.value);
  if (inventory.identity.id === '') {
    return refuse(
      new HttpError(400, 'API_NO_IDENTITY', 'report holds no serial number, system UUID or MAC address to identify the machine', {
        problems: inventory.identity.placeholdersSkipped.map((skipped) => ({ message: `placeholder skipped: ${skipped}` })),
      }),
    );
  }
  const accepted: ReportAnalysis = { kind: 'accepted', inventory, claim: claimFromInventory(inventory), warnings };
  // The token is a credential: the stored raw report must not carry it in clear for as long as history is kept.
  if (checked.value.agent.token !== undefined) {
    accepted.redactedBody = JSON.stringify({ ...checked.value, agent: { ...checked.value.agent, token: '[redacted]' } });
  }
  const encoded = encodeAccepted({ raw, json, redactedBody: accepted.redactedBody, inventory }, coding, options);
  if (encoded) accepted.encoded = encoded;
  return accepted;
}

/** An accepted analysis as a worker sends it back: the inventory only as the JSON that will be stored. */
export function withoutInventoryObject(analysis: ReportAnalysis): ReportAnalysis {
  if (analysis.kind !== 'accepted' || analysis.encoded === undefined) return analysis;
  const { inventory: _sentAsJson, ...rest } = analysis;
  return rest;
}

/** The inventory of an accepted analysis, parsed from its stored JSON when a worker sent only that. */
export function inventoryOf(analysis: Extract<ReportAnalysis, { kind: 'accepted' }>): Inventory {
  if (analysis.inventory) return analysis.inventory;
  if (!analysis.encoded) throw new Error('an accepted report analysis holds no inventory');
  return JSON.parse(analysis.encoded.inventoryJson) as Inventory;
}

/** Throws the refusal as the HttpError the API's error handler answers with. */
export function acceptedOrThrow(analysis: ReportAnalysis): Extract<ReportAnalysis, { kind: 'accepted' }> {
  if (analysis.kind === 'accepted') return analysis;
  throw new HttpError(analysis.status, analysis.code, analysis.message, { problems: analysis.problems });
}

/** Analyses a body as received, with the coding its Content-Encoding named. */
export type AnalyseReport = (raw: Uint8Array, coding?: ReportBodyCoding) => Promise<ReportAnalysis>;

/** Analysis on the event loop: for tests and small labs. */
export const analyseReportInline: AnalyseReport = async (raw, coding) => analyseReport(raw, {}, coding);

/** A task for the analysis worker: the body, and how it is coded. */
export interface AnalysisTask {
  raw: Uint8Array;
  coding: ReportBodyCoding;
}

/**
 * Analysis on `size` worker threads, so a burst of reports (a rack powering on) keeps the event loop free
 * for I/O and commits. Works from the compiled build, or from source under tsx (workers inherit its loader).
 */
export function createReportAnalysisPool(size: number, workerScript?: URL): { analyse: AnalyseReport; close: () => Promise<void> } {
  // Run from source (tsx), this module is a .ts file and so is the worker; compiled, both are .js.
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const pool = new WorkerPool<AnalysisTask, ReportAnalysis>(workerScript ?? new URL(`./report-analysis-worker.${extension}`, import.meta.url), size);
  return { analyse: (raw, coding = IDENTITY_CODING) => pool.run({ raw, coding }), close: () => pool.close() };
}
