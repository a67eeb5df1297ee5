/** IPv4 arithmetic for validating reservations and ranges against the provisioning network. */

export interface Ipv4Network {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses dotted-quad notation strictly (no leading zeros, which some tools read as octal). */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => OCTET.test(part))) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Parses `10.0.0.0/24`; undefined when malformed or when host bits are set. */
export function parseCidr(text: string): Ipv4Network | undefined {
  const [address, prefixText, extra] = text.split('/');
  if (address === undefined || prefixText === undefined || extra !== undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  const base = parseIpv4(address);
  const prefix = Number(prefixText);
  if (base === undefined || prefix > 30) return undefined;
  if (base % 2 ** (32 - prefix) !== 0) return undefined;
  return { base, prefix };
}

export function networkSize(network: Ipv4Network): number {
  return 2 ** (32 - network.prefix);
}

/** True when `address` is a usable host address of `network` (not the network or broadcast address). */
export function isHostAddress(network: Ipv4Network, address: number): boolean {
  return address > network.base && address < network.base + networkSize(network) - 1;
}

export function formatNetmask(network: Ipv4Network): string {
  return formatIpv4(2 ** 32 - networkSize(network));
}
