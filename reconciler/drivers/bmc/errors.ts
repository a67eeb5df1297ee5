import { PlinthError, type PlinthErrorOptions } from '../../lib/errors.js';

export type BmcErrorCode =
  | 'BMC_UNREACHABLE'
  | 'BMC_AUTH'
  | 'BMC_TIMEOUT'
  | 'BMC_UNSUPPORTED'
  | 'BMC_PROTOCOL'
  | 'BMC_CIRCUIT_OPEN'
  | 'BMC_ADDRESS';

/** Whether a failure may go away on its own; callers retry only these. */
const TRANSIENT_BY_DEFAULT: Record<BmcErrorCode, boolean> = {
  BMC_UNREACHABLE: true,
  BMC_TIMEOUT: true,
  BMC_CIRCUIT_OPEN: true,
  BMC_AUTH: false,
  BMC_UNSUPPORTED: false,
  BMC_PROTOCOL: false,
  BMC_ADDRESS: false,
};

/** A failed BMC call. `details` name the BMC (its address) and never carry a credential. */
export class BmcError extends PlinthError {
  declare readonly code: BmcErrorCode;

  constructor(code: BmcErrorCode, message: string, options: PlinthErrorOptions = {}) {
    super(code, message, { ...options, transient: options.transient ?? TRANSIENT_BY_DEFAULT[code] });
    this.name = 'BmcError';
  }
}

export function isBmcError(error: unknown): error is BmcError {
  return error instanceof BmcError;
}
