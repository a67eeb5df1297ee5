/**
 * Image push throughput over loopback SSH: plinth's ssh2 stream vs OpenSSH (`cat img | ssh host 'cat > f'`),
 * both against the same real sshd, in one run. Also times the full ensureImage (disk listing, checksum of
 * the range before and after, dd with fsync) to show what verification costs.
 * Run: `npx tsx bench/image-push.ts [sizeMiB]` (default 200).
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../reconciler/lib/command.js';
import { openSshSession } from '../reconciler/lib/ssh-session.js';
import { createSshImageDriver } from '../reconciler/drivers/image/ssh/ssh-image-driver.js';
import { startSshd, type TestSshd } from '../tests/support/sshd.js';
import { createFileDiskNode, createRawImage } from '../tests/image/disk-node.js';

const sizeMiB = Number(process.argv[2] ?? 200);
const ROUNDS = 3;
/** ssh2 negotiates AES-GCM first; OpenSSH's client prefers chacha20-poly1305, so both are measured. */
const SSH2_CIPHER = 'aes128-gcm@openssh.com';

async function timeIt(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

async function pushWithSsh2(sshd: TestSshd, image: string, target: string): Promise<void> {
  const session = await openSshSession(sshd.endpoint());
  try {
    const result = await session.exec(`cat > ${target}`, { input: createReadStream(image, { highWaterMark: 1024 * 1024 }) });
    if (result.exitCode !== 0) throw new Error(`remote cat failed: ${result.stderr}`);
  } finally {
    session.close();
  }
}

async function pushWithOpenSsh(sshd: TestSshd, keyFile: string, image: string, target: string, cipher?: string): Promise<void> {
  const ssh = [
    'ssh', ...(cipher ? ['-c', cipher] : []), '-i', keyFile, '-p', String(sshd.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '127.0.0.1', `cat > ${target}`,
  ].join(' ');
  const result = await runCommand('sh', ['-c', `cat ${image} | ${ssh}`]);
  if (result.exitCode !== 0) throw new Error(`ssh failed: ${result.stderr}`);
}

function best(times: number[]): number {
  return Math.min(...times);
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'plinth-bench-image-'));
  const sshd = await startSshd();
  try {
    const keyFile = join(work, 'client-key');
    await writeFile(keyFile, sshd.clientPrivateKey, { mode: 0o600 });
    const image = await createRawImage(work, 'image.raw', sizeMiB);
    const target = join(work, 'received');
    const ssh2Times: number[] = [];
    const opensshTimes: number[] = [];
    const opensshGcmTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      ssh2Times.push(await timeIt(() => pushWithSsh2(sshd, image.path, target)));
      opensshTimes.push(await timeIt(() => pushWithOpenSsh(sshd, keyFile, image.path, target)));
      opensshGcmTimes.push(await timeIt(() => pushWithOpenSsh(sshd, keyFile, image.path, target, SSH2_CIPHER)));
    }
    const node = await createFileDiskNode(work, [{ name: 'vda', sizeBytes: (sizeMiB + 16) * 1024 * 1024, serial: 'BENCH', model: 'bench' }]);
    const driver = createSshImageDriver({ listDisksCommand: node.listDisksCommand });
    const golden = { kind: 'golden' as const, name: 'bench', path: image.path, format: 'raw' as const, sha256: image.sha256 };
    const ensureTime = await timeIt(async () => {
      await driver.ensureImage({ node: 'bench', ssh: sshd.endpoint(), rootDeviceHints: { serial: 'BENCH' } }, golden);
    });
    const noopTime = await timeIt(async () => {
      await driver.ensureImage({ node: 'bench', ssh: sshd.endpoint(), rootDeviceHints: { serial: 'BENCH' } }, golden);
    });
    const rate = (seconds: number): string => `${(sizeMiB / seconds).toFixed(0)} MiB/s`;
    console.log(`image: ${sizeMiB} MiB raw, loopback sshd (OpenSSH ${await sshVersion()}), best of ${ROUNDS}`);
    console.log(`plinth ssh2 stream (cat > file):   ${best(ssh2Times).toFixed(2)} s  ${rate(best(ssh2Times))}   runs ${ssh2Times.map((t) => t.toFixed(2)).join(' ')}`);
    console.log(`OpenSSH cat img | ssh 'cat > f':   ${best(opensshTimes).toFixed(2)} s  ${rate(best(opensshTimes))}   runs ${opensshTimes.map((t) => t.toFixed(2)).join(' ')}`);
    console.log(`OpenSSH, same cipher as ssh2 (${SSH2_CIPHER}): ${best(opensshGcmTimes).toFixed(2)} s  ${rate(best(opensshGcmTimes))}   runs ${opensshGcmTimes.map((t) => t.toFixed(2)).join(' ')}`);
    console.log(`ratio plinth / OpenSSH default (throughput): ${(best(opensshTimes) / best(ssh2Times)).toFixed(2)}x`);
    console.log(`ratio plinth / OpenSSH same cipher (throughput): ${(best(opensshGcmTimes) / best(ssh2Times)).toFixed(2)}x`);
    console.log(`full ensureImage (list, sha256 before, dd fsync, sha256 after): ${ensureTime.toFixed(2)} s  ${rate(ensureTime)} effective`);
    console.log(`ensureImage when already deployed (list + sha256 only):         ${noopTime.toFixed(2)} s`);
  } finally {
    await sshd.stop();
    await rm(work, { recursive: true, force: true });
  }
}

async function sshVersion(): Promise<string> {
  const result = await runCommand('ssh', ['-V']);
  return (result.stderr.match(/OpenSSH_[^\s,]+/) ?? ['unknown'])[0];
}

await main();
