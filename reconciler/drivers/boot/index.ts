import { createIpxeBootDriver, type BootTemplates } from './boot-scripts.js';
import type { BootDriver, BootSettings } from './types.js';

export type { BootDriver, BootImage, BootRequest, BootSettings, BootTarget } from './types.js';
export { BootError, type BootErrorCode } from './errors.js';
export { chooseBootTarget, type NodeLifecycleState } from './choose-boot-target.js';
export { loadBootTemplates, type BootTemplates } from './boot-scripts.js';

/** Boot driver implementations by name. */
export const bootDrivers = {
  ipxe: (settings: BootSettings, templates: BootTemplates): BootDriver => createIpxeBootDriver(settings, templates),
} as const;
