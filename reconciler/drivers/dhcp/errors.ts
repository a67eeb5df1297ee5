import { PlinthError, type PlinthErrorOptions } from '../../lib/errors.js';

/**
 * - `DHCP_INVALID_ENTRY`: a reservation is malformed (MAC, IP outside the network, host name); nothing was written.
 * - `DHCP_CONFLICT`: another node already holds the address or host name.
 * - `DHCP_CONFIG_INVALID`: the network settings cannot make a valid server configuration.
 * - `DHCP_IO`: reading or writing the reservation folder failed (often transient: disk full, permissions being fixed).
 * - `DHCP_RELOAD`: the running server could not be signalled.
 */
export type DhcpErrorCode = 'DHCP_INVALID_ENTRY' | 'DHCP_CONFLICT' | 'DHCP_CONFIG_INVALID' | 'DHCP_IO' | 'DHCP_RELOAD';

export class DhcpError extends PlinthError {
  declare readonly code: DhcpErrorCode;

  constructor(code: DhcpErrorCode, message: string, options: PlinthErrorOptions = {}) {
    super(code, message, options);
    this.name = 'DhcpError';
  }
}
