export { createIpmitoolDriver, type IpmitoolDriverOptions } from './driver.js';
export { prepareIpmitoolHome } from './ipmitool-home.js';
