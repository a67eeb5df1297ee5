import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUILD_SCRIPT = fileURLToPath(new URL('../boot-assets/live/build.sh', import.meta.url));
export const GOLDEN_BUILD_SCRIPT = fileURLToPath(new URL('../boot-assets/golden/build.sh', import.meta.url));

/** Runs one of the image build scripts and returns the output folder it prints last. */
async function runBuild(what: string, script: string, outRoot: string | undefined, env: Record<string, string>, progress: 'inherit' | 'pipe'): Promise<string> {
  const result = await execa('sh', [script, ...(outRoot ? [outRoot] : [])], {
    env,
    stdout: 'pipe',
    stderr: progress,
    reject: false,
    timeout: 30 * 60_000,
    encoding: 'utf8',
  });
  if (result.exitCode !== 0) {
    throw new Error(`building the ${what} failed (exit ${String(result.exitCode)}): ${String(result.stderr ?? '').trim().split('\n').slice(-5).join('\n')}`);
  }
  const dir = String(result.stdout).trim().split('\n').pop();
  if (!dir) throw new Error(`the ${what} build printed no output folder`);
  return dir;
}

/**
 * Builds (or finds, when its inputs are unchanged) the live system from Debian packages and returns the folder
 * holding vmlinuz and initrd.gz. The build's progress goes to `progress` (stderr by default).
 */
export async function ensureLiveSystem(outRoot?: string, progress: 'inherit' | 'pipe' = 'inherit'): Promise<string> {
  return runBuild('live system', BUILD_SCRIPT, outRoot, {}, progress);
}

export interface GoldenImageOptions {
  /** Where the image reports (default the lab's `http://10.250.0.1:8080`). */
  controllerUrl?: string;
  /** The name the booted image reports as `os.image` (default `plinth-golden`). */
  imageName?: string;
  diskMiB?: number;
  /** The build cache (default `.lab/cache/golden` in the repository). */
  outRoot?: string;
  progress?: 'inherit' | 'pipe';
}

export interface GoldenImage {
  dir: string;
  /** The raw disk image. */
  disk: string;
  /** sha256 of `disk`, hex, as the build recorded it in SHA256SUMS. */
  sha256: string;
}

/**
 * Builds (or finds) the lab's golden image: a raw disk that boots from disk under SeaBIOS and OVMF and reports
 * once with `"os": {"bootedFrom": "disk"}`. Example: `const { disk, sha256 } = await ensureGoldenImage({ imageName: 'lab-os' })`.
 */
export async function ensureGoldenImage(options: GoldenImageOptions = {}): Promise<GoldenImage> {
  const env: Record<string, string> = {};
  if (options.controllerUrl !== undefined) env.PLINTH_GOLDEN_CONTROLLER_URL = options.controllerUrl;
  if (options.imageName !== undefined) env.PLINTH_GOLDEN_IMAGE_NAME = options.imageName;
  if (options.diskMiB !== undefined) env.PLINTH_GOLDEN_DISK_MIB = String(options.diskMiB);
  const dir = await runBuild('golden image', GOLDEN_BUILD_SCRIPT, options.outRoot, env, options.progress ?? 'inherit');
  const sums = await readFile(join(dir, 'SHA256SUMS'), 'utf8');
  const sha256 = /^([0-9a-f]{64}) {2}disk\.raw$/m.exec(sums)?.[1];
  if (!sha256) throw new Error(`${dir}/SHA256SUMS names no disk.raw`);
  return { dir, disk: join(dir, 'disk.raw'), sha256 };
}
