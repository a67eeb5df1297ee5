import { BmcError } from './errors.js';

export type BmcProtocol = 'ipmi' | 'redfish';

export interface IpmiAddress {
  protocol: 'ipmi';
  host: string;
  port: number;
}

export interface RedfishAddress {
  protocol: 'redfish';
  host: string;
  port: number;
  /** `https://host:port`, the base every Redfish path is resolved against. */
  origin: string;
  /** The ComputerSystem resource, e.g. `/redfish/v1/Systems/1`. */
  systemPath: string;
}

export type BmcAddress = IpmiAddress | RedfishAddress;

const IPMI_PORT = 623;
const HTTPS_PORT = 443;
const SYSTEM_PATH = /^\/redfish\/v1\/Systems\/[^/]+$/;

/** The address as it may appear in errors and logs: any user-info part (a password, maybe) is masked. */
export function maskAddress(address: string): string {
  return address.replace(/\/\/[^/@]*@/, '//***@');
}

function invalid(address: string, reason: string): BmcError {
  const shown = maskAddress(address);
  return new BmcError('BMC_ADDRESS', `invalid BMC address "${shown}": ${reason}`, { details: { address: shown } });
}

function parseUrl(address: string): URL {
  try {
    return new URL(address);
  } catch {
    // The URL parser's own message quotes the input, which may hold a password: keep it out.
    throw invalid(address, 'not a URL');
  }
}

/** Strips the brackets of an IPv6 literal, which URL keeps but sockets and ipmitool do not want. */
function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Parses a BMC URL as Metal3 writes them: `ipmi://host[:port]`, `redfish+https://host[:port]/redfish/v1/Systems/ID`
 * (`redfish://` is the same, always over HTTPS). Credentials inside the URL are refused: they would end up in
 * Git, logs and plans.
 */
export function parseBmcAddress(address: string): BmcAddress {
  const url = parseUrl(address);
  if (url.username !== '' || url.password !== '') throw invalid(address, 'credentials must not be part of the URL');
  if (url.hostname === '') throw invalid(address, 'the host is missing');
  if (url.search !== '' || url.hash !== '') throw invalid(address, 'query strings and fragments are not supported');
  const host = hostOf(url);
  if (url.protocol === 'ipmi:') {
    if (url.pathname !== '' && url.pathname !== '/') throw invalid(address, 'an ipmi:// address has no path');
    return { protocol: 'ipmi', host, port: url.port === '' ? IPMI_PORT : Number(url.port) };
  }
  if (url.protocol === 'redfish+https:' || url.protocol === 'redfish:') {
    const systemPath = url.pathname.replace(/\/+$/, '');
    if (!SYSTEM_PATH.test(systemPath)) {
      throw invalid(address, 'the path must name a system, e.g. /redfish/v1/Systems/1');
    }
    const port = url.port === '' ? HTTPS_PORT : Number(url.port);
    const origin = `https://${url.hostname}:${port}`;
    return { protocol: 'redfish', host, port, origin, systemPath };
  }
  throw new BmcError('BMC_UNSUPPORTED', `unsupported BMC address scheme "${url.protocol}" in "${address}"`, {
    details: { address },
  });
}

/**
 * One BMC, however its address is spelled (`ipmi://h` and `ipmi://h:623` are the same BMC). An address that does
 * not parse keys on itself; the driver then reports it as invalid.
 */
export function bmcKey(address: string): string {
  try {
    const parsed = parseBmcAddress(address);
    return `${parsed.protocol}://${parsed.host}:${parsed.port}`;
  } catch {
    return address;
  }
}
