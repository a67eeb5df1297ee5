export type * from './types.js';
export { BmcError, isBmcError, type BmcErrorCode } from './errors.js';
export { parseBmcAddress, maskAddress, type BmcAddress, type BmcProtocol } from './address.js';
export {
  bmcDriverFactories,
  createBmcClient,
  createProtocolDriver,
  type BmcDriverDeps,
  type BmcDriverFactory,
} from './registry.js';
export { ISOLATION_DEFAULTS, type IsolationOptions, type IsolatedBmcDriver } from './isolation/index.js';
export { prepareIpmitoolHome, startProcess, type IpmitoolMode, type ProcessStarter } from './ipmitool/index.js';
