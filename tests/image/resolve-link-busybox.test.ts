/**
 * The by-path hint is resolved on the node by the live system's tools: busybox, whose readlink lacks `-e`. The
 * command runs here under busybox's own sh with only busybox applets on PATH, as on the node.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveLinkCommand } from '../../reconciler/drivers/image/ssh/remote-commands.js';
import { runCommand } from '../../reconciler/lib/command.js';

const busybox = (await runCommand('sh', ['-c', 'command -v busybox'])).stdout.trim();

describe('resolveLinkCommand under busybox', () => {
  let dir = '';
  const runOnNode = (command: string) => runCommand(busybox, ['sh', '-c', command], { env: { PATH: join(dir, 'bin') } });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-busybox-link-'));
    await mkdir(join(dir, 'bin'));
    await symlink(busybox, join(dir, 'bin', 'readlink'));
    await writeFile(join(dir, 'vdb'), '');
    await mkdir(join(dir, 'by-path'));
    await symlink(join(dir, 'vdb'), join(dir, 'by-path', 'pci-0000:00:1f.2-ata-2'));
  });

  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('prints the device a link points at, and fails for a link that names nothing', async () => {
    const found = await runOnNode(resolveLinkCommand(join(dir, 'by-path', 'pci-0000:00:1f.2-ata-2')));
    const missing = await runOnNode(resolveLinkCommand(join(dir, 'by-path', 'pci-0000:00:1f.2-ata-9')));

    expect({ exitCode: found.exitCode, stdout: found.stdout, stderr: found.stderr }).toEqual({ exitCode: 0, stdout: `${join(dir, 'vdb')}\n`, stderr: '' });
    expect({ exitCode: missing.exitCode, stdout: missing.stdout }).toEqual({ exitCode: 1, stdout: '' });
  });
});
