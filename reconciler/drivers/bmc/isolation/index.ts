export { bmcKey } from '../address.js';
export {
  isolateBmcDriver,
  ISOLATION_DEFAULTS,
  type IsolatedBmcDriver,
  type IsolationOptions,
} from './isolated-driver.js';
export { computeBackoff, type BackoffPolicy } from './backoff.js';
export { createCircuitBreakers, type CircuitBreakers, type BreakerState } from './circuit-breaker.js';
export { createKeyedMutex, type KeyedMutex } from './keyed-mutex.js';
