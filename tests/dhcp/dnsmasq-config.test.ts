import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureDnsmasqConfig } from '../../reconciler/drivers/dhcp/dnsmasq/config-file.js';
import { createDnsmasqDriver } from '../../reconciler/drivers/dhcp/dnsmasq/dnsmasq-driver.js';
import { runCommand } from '../../reconciler/lib/command.js';
import { loadDnsmasqTemplate } from '../../reconciler/drivers/dhcp/dnsmasq/template.js';
import { buildTestSettings } from '../support/dnsmasq-settings.js';

const run = promisify(execFile);

/** Runs `dnsmasq --test` on a configuration file; dnsmasq answers rc=0 "syntax check OK" or rc=1 with the bad line. */
async function checkWithDnsmasq(path: string): Promise<{ exitCode: number; output: string }> {
  try {
    const { stderr, stdout } = await run('dnsmasq', ['--test', '-C', path], { timeout: 10_000 });
    return { exitCode: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code?: number; stderr?: string };
    return { exitCode: typeof failure.code === 'number' ? failure.code : -1, output: failure.stderr ?? '' };
  }
}

describe('dnsmasq --test on the rendered configuration', () => {
  let dir: string;
  let rendered: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-dnsmasq-test-'));
    rendered = createDnsmasqDriver({ settings: buildTestSettings(dir), template: await loadDnsmasqTemplate() }).renderConfig();
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts what plinth renders', async () => {
    await writeFile(join(dir, 'dnsmasq.conf'), rendered);
    expect(await checkWithDnsmasq(join(dir, 'dnsmasq.conf'))).toEqual({ exitCode: 0, output: expect.stringContaining('syntax check OK') });
  });

  it('rejects the same configuration with a damaged range, so the check above can fail', async () => {
    await writeFile(join(dir, 'broken.conf'), rendered.replace(/^dhcp-range=set:discovery,.*$/m, 'dhcp-range=set:discovery,10.250.0.100,oops'));
    const result = await checkWithDnsmasq(join(dir, 'broken.conf'));
    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(/bad dhcp-range at line \d+/);
  });

  it('ensureDnsmasqConfig writes a configuration dnsmasq accepts, then reports it unchanged', async () => {
    const path = join(dir, 'ensured.conf');
    expect(await ensureDnsmasqConfig(path, rendered, runCommand)).toEqual({ changed: true });
    expect(await ensureDnsmasqConfig(path, rendered, runCommand)).toEqual({ changed: false });
    expect(await readFile(path, 'utf8')).toBe(rendered);
  });

  it('ensureDnsmasqConfig keeps the working file when dnsmasq refuses the new one', async () => {
    const path = join(dir, 'kept.conf');
    await ensureDnsmasqConfig(path, rendered, runCommand);
    const broken = rendered.replace(/^no-ping$/m, 'no-pingg');

    await expect(ensureDnsmasqConfig(path, broken, runCommand)).rejects.toMatchObject({
      code: 'DHCP_CONFIG_INVALID',
      message: expect.stringMatching(/bad option at line \d+ of .*kept\.conf/),
    });
    expect(await readFile(path, 'utf8')).toBe(rendered);
    expect((await readdir(dir)).filter((name) => name.includes('candidate'))).toEqual([]);
  });

  it('ensureDnsmasqConfig writes nothing in dry-run', async () => {
    const path = join(dir, 'dry.conf');
    expect(await ensureDnsmasqConfig(path, rendered, runCommand, { dryRun: true })).toEqual({ changed: true });
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
