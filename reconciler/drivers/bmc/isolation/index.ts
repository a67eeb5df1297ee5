export {
  bmcKey,
  isolateBmcDriver,
  ISOLATION_DEFAULTS,
  type IsolatedBmcDriver,
  type IsolationOptions,
} from './isolated-driver.js';
export { computeBackoff, type BackoffPolicy } from './backoff.js';
export { createCircuitBreakers, type CircuitBreakers, type BreakerState } from './circuit-breaker.js';
export { createLimiter, createKeyedMutex, type Limiter, type KeyedMutex } from './limiter.js';
