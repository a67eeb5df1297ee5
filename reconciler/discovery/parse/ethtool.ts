/**
 * Parses `ethtool IFACE` text, optionally followed by `ethtool -i IFACE` (the agent concatenates the two):
 * the negotiated speed, whether a link is detected, and the driver.
 */
export interface EthtoolFacts {
  speedMbps?: number;
  link?: boolean;
  driver?: string;
}

export function parseEthtool(text: string): EthtoolFacts {
  const facts: EthtoolFacts = {};
  for (const line of text.split(/\r?\n/)) {
    const speed = /^\s*Speed:\s*(\d+)\s*Mb\/s/i.exec(line);
    if (speed) facts.speedMbps = Number(speed[1]);
    const link = /^\s*Link detected:\s*(yes|no)/i.exec(line);
    if (link) facts.link = (link[1] ?? '').toLowerCase() === 'yes';
    const driver = /^driver:\s*(\S+)/.exec(line);
    if (driver) facts.driver = driver[1];
  }
  return facts;
}
