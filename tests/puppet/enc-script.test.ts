import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from '../../reconciler/lib/command.js';

const SCRIPT = resolve(process.cwd(), 'boot-assets/puppet/plinth-enc.sh');

describe('boot-assets/puppet/plinth-enc.sh (the exec node terminus script)', () => {
  let encDir: string;

  beforeAll(async () => {
    encDir = await mkdtemp(join(tmpdir(), 'plinth-enc-'));
    await writeFile(join(encDir, 'c1-compute-1.example.net.yaml'), 'classes: {}\n');
    await writeFile(join(tmpdir(), 'plinth-enc-outside.yaml'), 'secret: outside\n');
  });

  afterAll(async () => {
    await rm(encDir, { recursive: true, force: true });
    await rm(join(tmpdir(), 'plinth-enc-outside.yaml'), { force: true });
  });

  const runScript = (certname: string) => runCommand(SCRIPT, [certname], { env: { ENC_DIR: encDir } });

  it('prints the published ENC of the certname', async () => {
    expect(await runScript('c1-compute-1.example.net')).toMatchObject({ exitCode: 0, stdout: 'classes: {}\n' });
  });

  it('exits 1 for a node without an ENC, so Puppet compiles nothing for it', async () => {
    expect(await runScript('c1-compute-2.example.net')).toMatchObject({ exitCode: 1, stdout: '' });
  });

  it('exits 1 for a certname that would read outside the ENC folder', async () => {
    for (const certname of ['../plinth-enc-outside', '.hidden', 'UPPER', '']) {
      expect(await runScript(certname)).toMatchObject({ exitCode: 1, stdout: '' });
    }
  });
});
