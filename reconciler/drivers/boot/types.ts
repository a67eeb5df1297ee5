/**
 * The boot driver kind: decides what a PXE-booting node loads next and renders the iPXE script that loads it.
 * Nodes reach it through `GET /boot/<mac>.ipxe` (see `reconciler/api/routes/boot.ts`).
 */

/** What a node boots into. */
export type BootTarget = 'discovery' | 'deploy' | 'local';

/** A kernel and initrd served from the boot assets folder, as paths relative to it. */
export interface BootImage {
  kernel: string;
  initrd: string;
  /** Extra kernel arguments for this image only. */
  kernelArgs?: string;
}

export interface BootSettings {
  /** Base URL of plinth's API as nodes reach it, e.g. `http://10.250.0.1:8080`; passed on the kernel command line. */
  controllerUrl: string;
  /** Where kernels and initrds are fetched from; defaults to `<controllerUrl>/boot/assets`. */
  assetsUrl?: string;
  /** Where the booted system POSTs its hardware report (`plinth.report_url=`); defaults to `<controllerUrl>/v1/reports`. */
  reportUrl?: string;
  /** The live system that reports a node's hardware. */
  discovery: BootImage;
  /** The environment that writes an image to a node's disk. */
  deploy: BootImage;
  /** Kernel arguments for every image, e.g. `console=ttyS0,115200 panic=30`. */
  kernelArgs?: string;
}

/** One node's boot, as the script is rendered for it. */
export interface BootRequest {
  /** Canonical MAC (`52:54:00:aa:00:01`). */
  mac: string;
  target: BootTarget;
  /** Per-boot token the booted system presents to the controller; required for discovery and deploy. */
  token?: string;
}

export interface BootDriver {
  /** The iPXE script for one boot. Pure: no I/O. */
  renderScript(request: BootRequest): string;
  /** A script that waits and reboots, for when the controller cannot decide (store unavailable). */
  renderRetryScript(mac: string): string;
}
