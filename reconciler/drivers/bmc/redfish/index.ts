export { createRedfishDriver, type RedfishDriverOptions } from './driver.js';
export { requestJson, type HttpRequester, type HttpRequest, type HttpResponse } from './http-client.js';
export type { RedfishAuthMode } from './session.js';
