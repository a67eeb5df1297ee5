import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { PlinthError } from '../../../lib/errors.js';
import { silentLogger, type Logger } from '../../../lib/logger.js';
import { openSshSession, type SshConnector, type SshSession } from '../../../lib/ssh-session.js';
import { digestFilePrefix, inspectImageFile, type ImageFileFacts } from '../image-file.js';
import { describeSize, selectRootDisk, type BlockDisk } from '../root-disk.js';
import { toImageError } from '../ssh-errors.js';
import type { EnsureImageOptions, GoldenImage, ImageDriver, ImageProgress, ImageResult, ImageTarget } from '../types.js';
import {
  checksumRangeCommand,
  convertQcow2Command,
  parseSha256Output,
  QEMU_IMG_PRESENT_COMMAND,
  resolveLinkCommand,
  stageFileCommand,
  writeRawCommand,
} from './remote-commands.js';
import { listNodeDisks } from './node-disks.js';

export interface SshImageDriverDeps {
  connect?: SshConnector;
  log?: Logger;
  /** Prints the node's disks as `lsblk -J -b -O` does (the default). */
  listDisksCommand?: string;
  /** Where a qcow2 image is staged on the node before conversion (the live system's RAM disk). */
  stagingDir?: string;
}

const PREFIX_BYTES = 1024 * 1024;

interface PushContext {
  session: SshSession;
  target: ImageTarget;
  image: GoldenImage;
  facts: ImageFileFacts;
  disk: BlockDisk;
  report: (progress: ImageProgress) => void;
}

/**
 * Golden-image push over SSH: pick the root disk from the hints, skip when the disk already holds the image,
 * stream it (raw with dd, qcow2 staged then converted by qemu-img on the node), then read the range back
 * and compare its sha256. Resolves only after that check passes.
 * Example: `await createSshImageDriver({ log }).ensureImage(target, image, { onProgress })`.
 */
export function createSshImageDriver(deps: SshImageDriverDeps = {}): ImageDriver<GoldenImage> {
  return {
    method: 'golden',
    ensureImage: (target, image, options) => ensureGoldenImage(deps, target, image, options),
  };
}

async function ensureGoldenImage(
  deps: SshImageDriverDeps,
  target: ImageTarget,
  image: GoldenImage,
  options: EnsureImageOptions = {},
): Promise<ImageResult> {
  const log = (deps.log ?? silentLogger()).child({ node: target.node, image: image.name });
  const report = options.onProgress ?? (() => undefined);
  const facts = await inspectImageFile(image);
  let session: SshSession | undefined;
  try {
    session = await (deps.connect ?? openSshSession)(target.ssh);
    const disk = await chooseDisk(session, deps, target, facts.diskSize);
    const context: PushContext = { session, target, image, facts, disk, report };
    const unchanged = { disk: disk.path, digest: image.sha256, bytesWritten: 0, dryRun: options.dryRun ?? false };
    if ((await mayHoldImage(context)) && (await readRangeDigest(context)) === image.sha256) {
      log.info({ disk: disk.path }, 'image already on disk');
      return { changed: false, ...unchanged };
    }
    if (options.dryRun) return { changed: true, ...unchanged };
    log.info({ disk: disk.path, format: image.format, bytes: facts.fileSize }, 'writing image');
    await (image.format === 'raw' ? writeRaw(context) : writeQcow2(context, deps.stagingDir ?? '/tmp'));
    const written = await readRangeDigest(context);
    if (written !== image.sha256) throw checksumMismatch(context, written);
    log.info({ disk: disk.path }, 'image written and verified');
    return { changed: true, disk: disk.path, digest: written, bytesWritten: facts.fileSize, dryRun: false };
  } catch (error) {
    throw toImageError(error, target.node);
  } finally {
    session?.close();
  }
}

/**
 * A `name` hint given as a link (`/dev/disk/by-path/...`, `/dev/disk/by-id/...`) names a disk only on the node:
 * it is resolved there to the device it points at, which lsblk lists. A path that does not exist matches nothing.
 */
async function resolveDeviceLink(session: SshSession, target: ImageTarget): Promise<ImageTarget['rootDeviceHints']> {
  const hints = target.rootDeviceHints;
  const name = hints?.name;
  if (name === undefined || !name.includes('/') || /^\/dev\/[^/]+$/.test(name)) return hints;
  const resolved = await session.exec(resolveLinkCommand(name), { maxOutputBytes: 4096 });
  if (resolved.exitCode !== 0) {
    throw new PlinthError('IMAGE_NO_DISK', `Node ${target.node}: the root-device hint ${name} names no device on the node`, {
      details: { node: target.node, hints, stderr: resolved.stderr.slice(-2000) },
    });
  }
  return { ...hints, name: resolved.stdout.trim() };
}

async function chooseDisk(session: SshSession, deps: SshImageDriverDeps, target: ImageTarget, imageSize: number): Promise<BlockDisk> {
  const disks = await listNodeDisks(session, target.node, deps.listDisksCommand);
  const choice = selectRootDisk(disks, await resolveDeviceLink(session, target));
  if (!choice.ok) {
    const why = choice.reasons.map((reason) => `${reason.disk}: ${reason.reason}`).join('; ');
    throw new PlinthError('IMAGE_NO_DISK', `Node ${target.node}: no disk fits the image (${describeSize(imageSize)}) and the root-device hints (${why || 'no disks listed'})`, {
      details: { node: target.node, hints: target.rootDeviceHints ?? {}, reasons: choice.reasons },
    });
  }
  if (choice.disk.sizeBytes < imageSize) {
    throw new PlinthError('IMAGE_DISK_TOO_SMALL', `Node ${target.node}: ${choice.disk.path} holds ${describeSize(choice.disk.sizeBytes)}, the image needs ${describeSize(imageSize)}`, {
      details: { node: target.node, disk: choice.disk.path, diskBytes: choice.disk.sizeBytes, imageBytes: imageSize },
    });
  }
  return choice.disk;
}

/**
 * A cheap first look before reading the whole range: for a raw image, when the disk's first MiB already
 * differs from the image's, the disk cannot hold the image. A fresh disk then costs one small read, not a full hash.
 */
async function mayHoldImage(context: PushContext): Promise<boolean> {
  if (context.image.format !== 'raw') return true;
  const length = Math.min(PREFIX_BYTES, context.facts.diskSize);
  const local = await digestFilePrefix(context.image.path, length);
  const remote = await context.session.exec(checksumRangeCommand(context.disk.path, length));
  return remote.exitCode === 0 && parseSha256Output(remote.stdout) === local;
}

async function readRangeDigest(context: PushContext): Promise<string | undefined> {
  const total = context.facts.diskSize;
  context.report({ phase: 'verify', bytesDone: 0, bytesTotal: total });
  const result = await context.session.exec(checksumRangeCommand(context.disk.path, total));
  context.report({ phase: 'verify', bytesDone: total, bytesTotal: total });
  return result.exitCode === 0 ? parseSha256Output(result.stdout) : undefined;
}

async function writeRaw(context: PushContext): Promise<void> {
  const result = await context.session.exec(writeRawCommand(context.disk.path), {
    input: createReadStream(context.image.path, { highWaterMark: 1024 * 1024 }),
    onInputBytes: (done) => context.report({ phase: 'upload', bytesDone: done, bytesTotal: context.facts.fileSize }),
  });
  if (result.exitCode !== 0) throw writeFailed(context, 'dd', result.exitCode, result.stderr);
}

async function writeQcow2(context: PushContext, stagingDir: string): Promise<void> {
  const { session, target } = context;
  const probe = await session.exec(QEMU_IMG_PRESENT_COMMAND);
  if (probe.exitCode !== 0) {
    throw new PlinthError('IMAGE_QEMU_IMG_MISSING', `Node ${target.node}: the image is qcow2 but qemu-img is not installed on the node; use a raw image or a live system with qemu-utils`, {
      details: { node: target.node, image: context.image.name },
    });
  }
  // One fixed name per node: a retry after a dropped upload overwrites the leftover instead of filling RAM.
  const staged = posix.join(stagingDir, 'plinth-image.qcow2');
  const upload = await session.exec(stageFileCommand(staged), {
    input: createReadStream(context.image.path, { highWaterMark: 1024 * 1024 }),
    onInputBytes: (done) => context.report({ phase: 'upload', bytesDone: done, bytesTotal: context.facts.fileSize }),
  });
  if (upload.exitCode !== 0) throw writeFailed(context, 'staging', upload.exitCode, upload.stderr);
  context.report({ phase: 'convert', bytesDone: 0, bytesTotal: context.facts.diskSize });
  const convert = await session.exec(convertQcow2Command(staged, context.disk.path));
  if (convert.exitCode !== 0) throw writeFailed(context, 'qemu-img convert', convert.exitCode, convert.stderr);
  context.report({ phase: 'convert', bytesDone: context.facts.diskSize, bytesTotal: context.facts.diskSize });
}

function writeFailed(context: PushContext, step: string, exitCode: number | null, stderr: string): PlinthError {
  return new PlinthError('IMAGE_WRITE', `Node ${context.target.node}: ${step} on ${context.disk.path} failed (exit ${exitCode ?? 'by signal'})`, {
    details: { node: context.target.node, disk: context.disk.path, step, exitCode, stderr: stderr.slice(-2000) },
  });
}

function checksumMismatch(context: PushContext, actual: string | undefined): PlinthError {
  return new PlinthError('IMAGE_CHECKSUM', `Node ${context.target.node}: ${context.disk.path} does not hold image ${context.image.name} after writing (sha256 ${actual ?? 'unreadable'}, expected ${context.image.sha256})`, {
    details: { node: context.target.node, disk: context.disk.path, expected: context.image.sha256, actual: actual ?? null },
  });
}
