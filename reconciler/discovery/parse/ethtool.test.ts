import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { parseEthtool } from './ethtool.js';

// The layout of `ethtool eno1` followed by `ethtool -i eno1`, as the agent concatenates them.
const TEN_GIG_UP = [
  'Settings for eno1:',
  '\tSupported ports: [ FIBRE ]',
  '\tSupported link modes:   10000baseT/Full',
  '\tSpeed: 10000Mb/s',
  '\tDuplex: Full',
  '\tAuto-negotiation: off',
  '\tLink detected: yes',
  'driver: ixgbe',
  'version: 6.1.0-18-amd64',
  'bus-info: 0000:19:00.0',
  '',
].join('\n');

describe('parseEthtool', () => {
  it('reads speed, link and driver', () => {
    expect(parseEthtool(TEN_GIG_UP)).toEqual({ speedMbps: 10000, link: true, driver: 'ixgbe' });
  });

  it('leaves the speed out when the link is down and ethtool prints Unknown!', () => {
    expect(parseEthtool('Settings for eno2:\n\tSpeed: Unknown!\n\tLink detected: no\n')).toEqual({ link: false });
  });

  it('reads the real ethtool output of this machine when ethtool is installed', async () => {
    const probe = await execa('ethtool', ['lo'], { reject: false }).catch(() => undefined);
    if (probe === undefined || probe.exitCode !== 0) {
      console.warn('skipped: ethtool is not installed here');
      return;
    }
    expect(parseEthtool(String(probe.stdout)).link).toBe(true);
  });
});
