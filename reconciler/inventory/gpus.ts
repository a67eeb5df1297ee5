import type { InventoryPciDevice } from './types.js';

/**
 * Picks the GPUs among a machine's PCI devices.
 *
 * Rule: a device is a GPU when its class is a display or accelerator class (0300 VGA, 0302 3D controller,
 * 0380 other display, 1200 processing accelerator) and it is not a display that every server carries for its
 * console: the BMC's VGA (ASPEED, Huawei iBMC), the onboard Matrox G200 of Dell/HPE/Cisco/Lenovo boards, the
 * ATI ES1000 of older boards, and the emulated displays of virtual machines. Those are excluded by PCI vendor
 * (or vendor:device where the vendor also makes real GPUs), so a data-centre GPU in VGA mode still counts.
 */
const GPU_CLASSES = new Set(['0300', '0302', '0380', '1200']);

/** Vendors whose display functions are only ever console/BMC or emulated displays. */
const CONSOLE_DISPLAY_VENDORS = new Set([
  '1a03', // ASPEED: the VGA of most BMCs
  '102b', // Matrox: G200 onboard VGA on Dell, HPE, Lenovo, Cisco and Fujitsu servers
  '1234', // QEMU/Bochs standard VGA
  '1b36', // Red Hat QXL
  '15ad', // VMware SVGA
  '1013', // Cirrus Logic, as emulated by QEMU
  '18ca', // XGI Z-series onboard VGA
]);

/** Single devices of vendors that also make real GPUs. */
const CONSOLE_DISPLAY_DEVICES = new Set([
  '1002:515e', // ATI ES1000 onboard VGA
  '19e5:1711', // Huawei Hi171x iBMC VGA
  '1af4:1050', // virtio-gpu
]);

export function isGpu(device: Pick<InventoryPciDevice, 'class' | 'vendorId' | 'deviceId'>): boolean {
  if (!GPU_CLASSES.has(device.class)) return false;
  if (CONSOLE_DISPLAY_VENDORS.has(device.vendorId)) return false;
  return !CONSOLE_DISPLAY_DEVICES.has(`${device.vendorId}:${device.deviceId}`);
}

export function selectGpus(devices: readonly InventoryPciDevice[]): InventoryPciDevice[] {
  return devices.filter(isGpu);
}
