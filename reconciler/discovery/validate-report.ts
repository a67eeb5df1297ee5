import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { HardwareReportSchema } from './report-schema.js';

let compiled: ValidateFunction | undefined;

/** Compiled once and kept: compiling the schema costs far more than validating a report. */
function getValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020.default({ strict: true, allErrors: true });
    addFormats.default(ajv);
    compiled = ajv.compile(HardwareReportSchema);
  }
  return compiled;
}

/**
 * Checks a candidate report against the hardware-report schema and returns every problem, each located by
 * its JSON pointer (e.g. `/sections/efi/uefi`, `must be boolean`); an empty list means the report is valid.
 */
export interface ReportProblem {
  /** JSON pointer of the offending value, `` for the document itself. */
  pointer: string;
  message: string;
}

export function validateReport(candidate: unknown): ReportProblem[] {
  const validate = getValidator();
  if (validate(candidate)) return [];
  return (validate.errors ?? []).map((error) => {
    const extra = error.keyword === 'additionalProperties' ? `: ${String(error.params.additionalProperty)}` : '';
    return { pointer: error.instancePath, message: `${error.message ?? 'is invalid'}${extra}` };
  });
}
