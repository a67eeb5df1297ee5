import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecipeImageDriver } from '../../reconciler/drivers/image/recipe/recipe-image-driver.js';
import type { ImageTarget, RecipeImage } from '../../reconciler/drivers/image/types.js';
import { startSshd, type TestSshd } from '../support/sshd.js';

describe('installer recipe over SSH (real sshd on loopback)', () => {
  let sshd: TestSshd;
  let work: string;

  beforeAll(async () => {
    sshd = await startSshd();
    work = await mkdtemp(join(tmpdir(), 'plinth-recipe-'));
  });

  afterAll(async () => {
    await sshd?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const target = (): ImageTarget => ({ node: 'node-7', ssh: sshd.endpoint() });

  const installer = (root: string, extra = ''): RecipeImage => ({
    kind: 'recipe',
    name: 'debian-bookworm-oci',
    script: [
      'set -e',
      'mkdir -p "$TARGET_ROOT/etc"',
      'printf "%s\\n" "$NODE_FQDN" > "$TARGET_ROOT/etc/hostname"',
      'printf "%s" "$ROOT_PASSWORD" | sha256sum > "$TARGET_ROOT/etc/root.sha256"',
      'echo "installing for $NODE_FQDN with password $ROOT_PASSWORD"',
      extra,
      'echo done',
    ].join('\n'),
    env: { TARGET_ROOT: root, NODE_FQDN: 'c1-compute-1.example.net' },
    secretEnv: { ROOT_PASSWORD: "s3cr'et pass" },
  });

  it('runs the script with its variables, keeps the output tail without secrets, and is a no-op the second time', async () => {
    const root = await mkdtemp(join(work, 'root-'));
    const driver = createRecipeImageDriver({ stampPath: join(root, 'stamp', 'recipe.sha256') });

    const first = await driver.ensureImage(target(), installer(root));
    const second = await driver.ensureImage(target(), installer(root));

    expect(first.changed).toBe(true);
    expect(await readFile(join(root, 'etc', 'hostname'), 'utf8')).toBe('c1-compute-1.example.net\n');
    expect(first.outputTail).toContain('installing for c1-compute-1.example.net with password [redacted]');
    expect(first.outputTail).not.toContain('s3cr');
    expect(second).toMatchObject({ changed: false, digest: first.digest });
  });

  it('runs again when a variable changes', async () => {
    const root = await mkdtemp(join(work, 'root-'));
    const driver = createRecipeImageDriver({ stampPath: join(root, 'recipe.sha256') });
    await driver.ensureImage(target(), installer(root));
    const changed = installer(root);
    changed.env = { ...changed.env, NODE_FQDN: 'c1-compute-2.example.net' };

    const result = await driver.ensureImage(target(), changed);

    expect(result.changed).toBe(true);
    expect(await readFile(join(root, 'etc', 'hostname'), 'utf8')).toBe('c1-compute-2.example.net\n');
  });

  it('fails with the exit code and output tail when the installer fails, and records nothing', async () => {
    const root = await mkdtemp(join(work, 'root-'));
    const stamp = join(root, 'recipe.sha256');

    const run = createRecipeImageDriver({ stampPath: stamp }).ensureImage(target(), installer(root, 'echo "disk not found" >&2; exit 3'));

    await expect(run).rejects.toMatchObject({ code: 'IMAGE_RECIPE_FAILED', details: { exitCode: 3, outputTail: expect.stringContaining('disk not found') } });
    await expect(readFile(stamp, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects a variable name that is not a shell identifier before connecting', async () => {
    const recipe: RecipeImage = { ...installer(work), env: { 'BAD-NAME': 'x' } };

    await expect(createRecipeImageDriver().ensureImage(target(), recipe)).rejects.toMatchObject({ code: 'IMAGE_INVALID' });
  });
});
