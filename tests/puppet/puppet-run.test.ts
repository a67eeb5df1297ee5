import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSshPuppetDriver } from '../../reconciler/drivers/puppet/ssh/ssh-puppet-driver.js';
import type { PuppetDriver, PuppetNode } from '../../reconciler/drivers/puppet/types.js';
import { generateKeyPair, startSshd, type TestSshd } from '../support/sshd.js';
import { createPuppetSandbox, renderComputeEnc, type PuppetSandbox } from '../support/puppet.js';

describe('Puppet runs triggered over SSH (real sshd and puppet)', () => {
  let sshd: TestSshd;
  let sandbox: PuppetSandbox;
  let puppet: PuppetDriver;

  beforeAll(async () => {
    sshd = await startSshd();
    sandbox = await createPuppetSandbox();
    // The "node" runs `puppet apply` through the exec terminus: the same ENC a Puppet server would compile.
    puppet = createSshPuppetDriver({
      encDir: sandbox.encDir,
      runCommand: (node) => sandbox.applyCommand(node.certname),
      summaryPath: sandbox.summaryPath,
      maxConcurrentRuns: 2,
    });
  });

  afterAll(async () => {
    await sshd?.stop();
    await sandbox?.cleanup();
  });

  const nodeNamed = (certname: string): PuppetNode => ({ certname, ssh: sshd.endpoint() });

  it('reads a successful run back as active', async () => {
    const node = nodeNamed('c1-compute-11.example.net');
    await puppet.publishEnc(node.certname, renderComputeEnc(sandbox, 'c1-compute-11', { addresses: ['10.0.0.11'] }));

    const run = await puppet.triggerRun(node);
    const result = await puppet.readRunResult(node, run);

    expect(run).toMatchObject({ exitCode: 2, outcome: 'changed', errors: [] });
    expect(result).toMatchObject({ state: 'active', reason: '', counts: { resourcesFailed: 0, eventsFailed: 0, changes: 1 } });
    expect(await readFile(join(sandbox.outDir, 'c1-compute-11.conf'), 'utf8')).toContain('addresses=10.0.0.11');
  });

  it('reads a run with a failed resource back as failed, with the reason', async () => {
    const node = nodeNamed('c1-compute-12.example.net');
    await puppet.publishEnc(node.certname, renderComputeEnc(sandbox, 'c1-compute-12', { addresses: ['10.0.0.12'], fail_health_check: true }));

    const run = await puppet.triggerRun(node);
    const result = await puppet.readRunResult(node, run);

    expect(run.outcome).toBe('changed-with-failures');
    expect(result.state).toBe('failed');
    expect(result.reason).toContain('1 resource failed, 1 event failed');
    expect(result.reason).toContain("'/bin/false' returned 1 instead of one of [0]");
  });

  it('reports a catalog that does not compile as failed, even though an older summary is on the node', async () => {
    const node = nodeNamed('c1-compute-13.example.net');
    await puppet.publishEnc(node.certname, renderComputeEnc(sandbox, 'c1-compute-13', { addresses: '10.0.0.13' }));

    const run = await puppet.triggerRun(node);
    const result = await puppet.readRunResult(node, run);

    expect(run.outcome).toBe('run-failed');
    expect(result.state).toBe('failed');
    expect(result.reason).toContain("parameter 'addresses' expects an Array value, got String");
    expect(run.outputTail).not.toContain('/proc/1/environ');
  });

  it('never has more runs in flight than the limit', async () => {
    const lockRoot = await mkdtemp(join(tmpdir(), 'plinth-runs-'));
    // Each "run" holds a lock directory for a moment; a second run inside the window would fail to create it.
    const limited = createSshPuppetDriver({
      encDir: sandbox.encDir,
      maxConcurrentRuns: 1,
      runCommand: `mkdir ${lockRoot}/lock || exit 1; sleep 0.3; rmdir ${lockRoot}/lock; exit 0`,
    });

    const runs = await Promise.all(['a', 'b', 'c'].map((name) => limited.triggerRun(nodeNamed(`c1-lock-${name}.example.net`))));

    expect(runs.map((run) => run.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    await rm(lockRoot, { recursive: true, force: true });
  });

  it('refuses to trigger a run on a node whose host key is not the pinned one', async () => {
    const other = await generateKeyPair(sandbox.dir, 'not-the-node');
    const node: PuppetNode = { certname: 'c1-compute-14.example.net', ssh: { ...sshd.endpoint(), hostKey: other.publicKey } };

    await expect(puppet.triggerRun(node)).rejects.toMatchObject({ code: 'PUPPET_HOST_KEY', transient: false });
  });
});
