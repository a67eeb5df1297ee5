import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from './command.js';

let scratch = '';

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'plinth-command-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Whether a process id (printed by a test script as `$$`) still names a live process. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runCommand', () => {
  it('returns a non-zero exit status as a result, with both output streams', async () => {
    const result = await runCommand('sh', ['-c', 'echo out; echo err >&2; exit 3']);

    expect(result).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false });
  });

  it('passes arguments verbatim, without a shell', async () => {
    const tricky = ['$HOME', '; rm -rf /', "it's", 'two words', '*'];

    const result = await runCommand('printf', ['%s\\n', ...tricky]);

    expect(result.stdout).toBe(`${tricky.join('\n')}\n`);
  });

  it('writes the input to standard input and closes it', async () => {
    const result = await runCommand('cat', [], { input: 'line one\nline two\n' });

    expect(result.stdout).toBe('line one\nline two\n');
  });

  it('gives an empty standard input when there is no input, so a reading program does not wait', async () => {
    const result = await runCommand('cat', []);

    expect(result).toEqual({ exitCode: 0, stdout: '', stderr: '', timedOut: false });
  });

  it('decodes multi-byte UTF-8 output whole', async () => {
    const text = 'é€😀'.repeat(20_000);

    const result = await runCommand('cat', [], { input: text });

    expect(result.stdout).toBe(text);
  });

  it('merges the given environment over the inherited one', async () => {
    const inherited = Object.keys(process.env).find((name) => /^[A-Z_]+$/.test(name) && name !== 'PLINTH_SECRET');
    expect(inherited).toBeDefined();
    const script = `printf '%s|%s' "$PLINTH_SECRET" "$${inherited ?? ''}"`;

    const result = await runCommand('sh', ['-c', script], { env: { PLINTH_SECRET: 's3cret' } });

    expect(result.stdout).toBe(`s3cret|${process.env[inherited ?? ''] ?? ''}`);
  });

  it('runs in the given working directory', async () => {
    const result = await runCommand('pwd', [], { cwd: scratch });

    expect(result.stdout.trim()).toBe(scratch);
  });

  it('stops a program that outlives its timeout and reports it', async () => {
    const result = await runCommand('sh', ['-c', 'echo $$; exec sleep 30'], { timeoutMs: 300 });

    expect(result).toMatchObject({ exitCode: -1, timedOut: true });
    expect(isRunning(Number(result.stdout.trim()))).toBe(false);
  });

  it('kills a program that ignores SIGTERM once the grace period is over', async () => {
    const script = "trap '' TERM; echo $$; while :; do sleep 1; done";

    const result = await runCommand('sh', ['-c', script], { timeoutMs: 200 });

    expect(result.timedOut).toBe(true);
    expect(isRunning(Number(result.stdout.trim()))).toBe(false);
  });

  it('stops the program when the signal aborts', async () => {
    const controller = new AbortController();
    const running = runCommand('sh', ['-c', 'echo $$; exec sleep 30'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);

    const result = await running;

    expect(result).toMatchObject({ exitCode: -1, timedOut: false });
    expect(isRunning(Number(result.stdout.trim()))).toBe(false);
  });

  it('does not start a program when the signal has already aborted', async () => {
    const marker = join(scratch, 'must-not-exist');

    const result = await runCommand('touch', [marker], { signal: AbortSignal.abort() });

    expect(result.exitCode).toBe(-1);
    await expect(runCommand('test', ['-e', marker])).resolves.toMatchObject({ exitCode: 1 });
  });

  it('rejects when the program does not exist', async () => {
    await expect(runCommand('plinth-no-such-program', [])).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects when the program is not executable', async () => {
    const file = join(scratch, 'not-executable.sh');
    await writeFile(file, '#!/bin/sh\necho hi\n');
    await chmod(file, 0o644);

    await expect(runCommand(file, [])).rejects.toMatchObject({ code: 'EACCES' });
  });
});
