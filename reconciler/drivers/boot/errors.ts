import { PlinthError, type PlinthErrorOptions } from '../../lib/errors.js';

/**
 * - `BOOT_CONFIG_INVALID`: the boot settings or templates cannot produce a valid script.
 * - `BOOT_INVALID_REQUEST`: a boot request is malformed (bad MAC, missing or unsafe token).
 */
export type BootErrorCode = 'BOOT_CONFIG_INVALID' | 'BOOT_INVALID_REQUEST';

export class BootError extends PlinthError {
  declare readonly code: BootErrorCode;

  constructor(code: BootErrorCode, message: string, options: PlinthErrorOptions = {}) {
    super(code, message, options);
    this.name = 'BootError';
  }
}
