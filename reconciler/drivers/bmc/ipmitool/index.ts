export { createIpmitoolDriver, type IpmitoolDriver, type IpmitoolDriverOptions, type IpmitoolMode } from './driver.js';
export { prepareIpmitoolHome } from './ipmitool-home.js';
export { startProcess, type ProcessStarter } from './shell-session.js';
