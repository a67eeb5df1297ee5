import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa, type ResultPromise } from 'execa';
import { createSocket } from 'node:dgram';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseIpmiLan } from '../../reconciler/discovery/parse/ipmi-lan.js';

/** A free UDP port on loopback: bound once by the kernel's choice, then released for ipmi_sim. */
async function findFreeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

describe('parseIpmiLan on real `ipmitool lan print` output from ipmi_sim', () => {
  let directory = '';
  let simulator: ResultPromise | undefined;
  let ipmitool: (args: string[]) => Promise<string>;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'plinth-ipmi-lan-'));
    const port = await findFreeUdpPort();
    await mkdir(path.join(directory, 'persist'));
    await writeFile(
      path.join(directory, 'lan.conf'),
      [
        'name "plinth-test"',
        'set_working_mc 0x20',
        '  startlan 1',
        `    addr 127.0.0.1 ${port}`,
        '    priv_limit admin',
        '    allowed_auths_admin none md2 md5 straight',
        '    guid a123456789abcdefa123456789000001',
        '  endlan',
        '  user 2 true "admin" "password" admin 10 none md2 md5 straight',
        '',
      ].join('\n'),
    );
    await writeFile(
      path.join(directory, 'bmc.emu'),
      'mc_setbmc 0x20\nmc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr\nmc_enable 0x20\n',
    );
    simulator = execa('ipmi_sim', ['-n', '-c', 'lan.conf', '-f', 'bmc.emu', '-s', 'persist'], { cwd: directory, reject: false });
    // The password travels in the environment (-E), never on the command line.
    ipmitool = async (args) => {
      const base = ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(port), '-U', 'admin', '-E', '-C', '3', '-N', '1', '-R', '2'];
      const result = await execa('ipmitool', [...base, ...args], { env: { IPMI_PASSWORD: 'password' }, reject: false, timeout: 20_000 });
      if (result.exitCode !== 0) throw new Error(`ipmitool ${args.join(' ')} failed: ${result.stderr}`);
      return result.stdout;
    };
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      const ready = await ipmitool(['mc', 'info']).then(() => true, () => false);
      if (ready) break;
    }
  });

  afterAll(async () => {
    simulator?.kill('SIGTERM');
    await simulator;
    await rm(directory, { recursive: true, force: true });
  });

  it('reads the BMC address and MAC the BMC was given', async () => {
    await ipmitool(['lan', 'set', '1', 'ipaddr', '192.0.2.44']);
    await ipmitool(['lan', 'set', '1', 'macaddr', '02:00:5E:10:20:30']);
    expect(parseIpmiLan(await ipmitool(['lan', 'print', '1']))).toEqual({ address: '192.0.2.44', mac: '02:00:5e:10:20:30' });
  });

  it('reports nothing for an unconfigured address rather than 0.0.0.0', async () => {
    await ipmitool(['lan', 'set', '1', 'ipaddr', '0.0.0.0']);
    expect(parseIpmiLan(await ipmitool(['lan', 'print', '1'])).address).toBeUndefined();
  });
});
