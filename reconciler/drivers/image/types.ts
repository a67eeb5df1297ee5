import type { SshEndpoint } from '../../lib/ssh-session.js';

/**
 * Image drivers put an operating system on a node that runs the discovery live system:
 * `golden` streams a disk image (TripleO/eDeploy style), `recipe` runs an installer script (OCI style).
 * Every call is an idempotent ensure: a node that already holds the image is left alone.
 */
export type ImageMethod = 'golden' | 'recipe';

/** A golden disk image already fetched to the controller. */
export interface GoldenImage {
  kind: 'golden';
  name: string;
  /** Local file holding the image. */
  path: string;
  format: 'raw' | 'qcow2';
  /** sha256 (hex) of the raw disk content the image expands to: what is read back from the disk after writing. */
  sha256: string;
}

/** An installer script run on the node with `sh -s`, its variables exported first. */
export interface RecipeImage {
  kind: 'recipe';
  name: string;
  script: string;
  env?: Record<string, string>;
  /** Exported like `env` but removed from any output plinth keeps or reports. */
  secretEnv?: Record<string, string>;
}

export type ImageSpec = GoldenImage | RecipeImage;

/**
 * Root-device hints as Ironic and Metal3 define them: every hint given must hold for the chosen disk.
 * `name` is a kernel name (`sda`), a device path (`/dev/sda`), or a link the node resolves (`/dev/disk/by-path/...`).
 */
export interface RootDeviceHints {
  name?: string;
  model?: string;
  vendor?: string;
  serial?: string;
  wwn?: string;
  /** Size in whole GiB, as Ironic's `size` hint. */
  sizeGiB?: number;
  /** Smallest acceptable size in bytes. */
  minSizeBytes?: number;
  rotational?: boolean;
}

export interface ImageTarget {
  /** Node name, for errors and logs. */
  node: string;
  ssh: SshEndpoint;
  rootDeviceHints?: RootDeviceHints;
}

export type ImagePhase = 'inspect' | 'upload' | 'convert' | 'verify' | 'install';

export interface ImageProgress {
  phase: ImagePhase;
  bytesDone: number;
  bytesTotal: number;
}

export interface EnsureImageOptions {
  dryRun?: boolean;
  onProgress?: (progress: ImageProgress) => void;
}

export interface ImageResult {
  /** False when the node already held the image. */
  changed: boolean;
  dryRun: boolean;
  /** The disk written (golden images). */
  disk?: string;
  /** The verified digest of the written range (golden) or of the recipe (recipe). */
  digest: string;
  bytesWritten: number;
  /** Last lines the installer printed (recipe), secrets removed. */
  outputTail?: string;
}

export interface ImageDriver<I extends ImageSpec = ImageSpec> {
  readonly method: I['kind'];
  /** Makes the node hold the image; resolves only once the result is verified on the node. */
  ensureImage(target: ImageTarget, image: I, options?: EnsureImageOptions): Promise<ImageResult>;
}

/**
 * Stable error codes of image drivers. Transient (retry the whole ensure): IMAGE_CONNECT when the connection
 * failed or dropped. Never retried: IMAGE_HOST_KEY (the node is not the one discovered), IMAGE_CHECKSUM,
 * IMAGE_NO_DISK, IMAGE_DISK_TOO_SMALL, IMAGE_DISK_LIST, IMAGE_FORMAT, IMAGE_QEMU_IMG_MISSING, IMAGE_WRITE,
 * IMAGE_RECIPE_FAILED, IMAGE_INVALID. IMAGE_FETCH (an image download failed) is transient when the server or network failed.
 */
export type ImageErrorCode =
  | 'IMAGE_HOST_KEY'
  | 'IMAGE_CONNECT'
  | 'IMAGE_CHECKSUM'
  | 'IMAGE_NO_DISK'
  | 'IMAGE_DISK_TOO_SMALL'
  | 'IMAGE_DISK_LIST'
  | 'IMAGE_FORMAT'
  | 'IMAGE_QEMU_IMG_MISSING'
  | 'IMAGE_WRITE'
  | 'IMAGE_RECIPE_FAILED'
  | 'IMAGE_INVALID'
  | 'IMAGE_FETCH';
