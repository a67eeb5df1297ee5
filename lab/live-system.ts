import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export const BUILD_SCRIPT = fileURLToPath(new URL('../boot-assets/live/build.sh', import.meta.url));

/**
 * Builds (or finds, when its inputs are unchanged) the live system from Debian packages and returns the folder
 * holding vmlinuz and initrd.gz. The build's progress goes to `progress` (stderr by default).
 */
export async function ensureLiveSystem(outRoot?: string, progress: 'inherit' | 'pipe' = 'inherit'): Promise<string> {
  const result = await execa('sh', [BUILD_SCRIPT, ...(outRoot ? [outRoot] : [])], {
    stdout: 'pipe',
    stderr: progress,
    reject: false,
    timeout: 30 * 60_000,
    encoding: 'utf8',
  });
  if (result.exitCode !== 0) {
    throw new Error(`building the live system failed (exit ${String(result.exitCode)}): ${String(result.stderr ?? '').trim().split('\n').slice(-5).join('\n')}`);
  }
  const dir = String(result.stdout).trim().split('\n').pop();
  if (!dir) throw new Error('the live system build printed no output folder');
  return dir;
}
