/** Parses `ipmitool lan print`: the BMC's IPv4 address and MAC (`Key   : value` lines). */
export interface IpmiLanFacts {
  address?: string;
  mac?: string;
}

export function parseIpmiLan(text: string): IpmiLanFacts {
  const facts: IpmiLanFacts = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === 'IP Address' && /^\d{1,3}(\.\d{1,3}){3}$/.test(value) && value !== '0.0.0.0') facts.address = value;
    if (key === 'MAC Address' && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(value)) facts.mac = value.toLowerCase();
  }
  return facts;
}
