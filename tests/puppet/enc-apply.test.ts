import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createSshPuppetDriver } from '../../reconciler/drivers/puppet/ssh/ssh-puppet-driver.js';
import type { PuppetDriver } from '../../reconciler/drivers/puppet/types.js';
import { createPuppetSandbox, renderComputeEnc, type PuppetSandbox } from '../support/puppet.js';

describe('ENC hand-off to real Puppet through the exec node terminus', () => {
  let sandbox: PuppetSandbox;
  let puppet: PuppetDriver;

  beforeAll(async () => {
    sandbox = await createPuppetSandbox();
    puppet = createSshPuppetDriver({ encDir: sandbox.encDir });
  });

  afterAll(async () => {
    await sandbox?.cleanup();
  });

  it('applies the published ENC: Puppet receives the class with its typed parameters', async () => {
    await puppet.publishEnc('c1-compute-1.example.net', renderComputeEnc(sandbox, 'c1-compute-1', { addresses: ['10.0.0.5', '10.1.0.5'], cpu_allocation_ratio: 8 }));

    const run = await sandbox.apply('c1-compute-1.example.net');

    expect(run.exitCode).toBe(2);
    expect(await readFile(join(sandbox.outDir, 'c1-compute-1.conf'), 'utf8')).toBe('hostname=c1-compute-1\naddresses=10.0.0.5,10.1.0.5\ncpu_allocation_ratio=8\n');
    expect(run.lines.join('\n')).not.toContain('/proc/1/environ');
  });

  it("fails the run with Puppet's type error when a parameter has the wrong type", async () => {
    await puppet.publishEnc('c1-compute-2.example.net', renderComputeEnc(sandbox, 'c1-compute-2', { addresses: '10.0.0.6' }));

    const run = await sandbox.apply('c1-compute-2.example.net');

    expect(run.exitCode).toBe(1);
    expect(run.lines.join('\n')).toContain("parameter 'addresses' expects an Array value, got String");
  });

  it('makes Puppet refuse a node that has no published ENC', async () => {
    const run = await sandbox.apply('c1-unknown-9.example.net');

    expect(run.exitCode).toBe(1);
    expect(run.lines.join('\n')).toContain('Failed to find c1-unknown-9.example.net via exec');
  });

  it('publishes by digest: the same ENC again changes nothing, a new one replaces the file', async () => {
    const enc = renderComputeEnc(sandbox, 'c1-compute-3', { addresses: ['10.0.0.7'] });
    const first = await puppet.publishEnc('c1-compute-3.example.net', enc);
    const before = await stat(first.path);

    const same = await puppet.publishEnc('c1-compute-3.example.net', enc);
    const afterSame = await stat(first.path);
    const changed = await puppet.publishEnc('c1-compute-3.example.net', renderComputeEnc(sandbox, 'c1-compute-3', { addresses: ['10.0.0.8'] }));

    expect(first.changed).toBe(true);
    expect(same).toMatchObject({ changed: false, digest: first.digest });
    // Publishing renames a new file in, so an untouched ENC keeps its inode.
    expect(afterSame.ino).toBe(before.ino);
    expect(changed.changed).toBe(true);
    expect((await stat(first.path)).ino).not.toBe(before.ino);
    expect(await readFile(first.path, 'utf8')).toContain('10.0.0.8');
    expect((await stat(first.path)).mode & 0o777).toBe(0o640);
  });

  it('honours dry-run and leaves the ENC folder untouched', async () => {
    const result = await puppet.publishEnc('c1-compute-4.example.net', renderComputeEnc(sandbox, 'c1-compute-4', { addresses: [] }), { dryRun: true });

    expect(result).toMatchObject({ changed: true, dryRun: true });
    expect(await readdir(sandbox.encDir)).not.toContain('c1-compute-4.example.net.yaml');
  });

  it('rejects an ENC Puppet would misread, with the location, and writes nothing', async () => {
    const enc = 'environment: production\nclases:\n  plinth::role::compute: {}\n';

    const publish = puppet.publishEnc('c1-compute-5.example.net', enc);

    await expect(publish).rejects.toMatchObject({
      code: 'PUPPET_ENC_INVALID',
      details: { problems: [expect.objectContaining({ line: 2, col: 1, path: '$.clases' })] },
    });
    expect(await readdir(sandbox.encDir)).not.toContain('c1-compute-5.example.net.yaml');
  });

  it('rejects a certname that could escape the ENC folder', async () => {
    await expect(puppet.publishEnc('../etc/passwd', 'classes: {}\n')).rejects.toMatchObject({ code: 'PUPPET_CERTNAME_INVALID' });
  });
});
