import { describe, expect, it } from '@jest/globals';
import { BmcError } from '../errors.js';
import type { BmcDriver, PowerState } from '../types.js';
import { computeBackoff } from './backoff.js';
import { createCircuitBreakers } from './circuit-breaker.js';
import { bmcKey } from '../address.js';
import { isolateBmcDriver } from './isolated-driver.js';
import { createKeyedMutex } from './keyed-mutex.js';

const target = { address: 'ipmi://10.0.0.9', credentials: { username: 'u', password: 'p' } };

/** A driver whose getPower/ensurePower answer from a script of outcomes, counting calls. */
function scripted(outcomes: Array<PowerState | BmcError>) {
  let calls = 0;
  const next = async (): Promise<PowerState> => {
    const outcome = outcomes[Math.min(calls, outcomes.length - 1)]!;
    calls += 1;
    if (outcome instanceof BmcError) throw outcome;
    return outcome;
  };
  const driver: BmcDriver = {
    getPower: next,
    ensurePower: async () => ({ changed: true, before: await next(), after: 'on' }),
    ensureBootDevice: async () => ({ changed: false }),
    getInfo: async () => ({ protocol: 'ipmi' }),
  };
  return { driver, calls: () => calls };
}

const noWait = { sleep: async () => undefined, random: () => 0.5 };

describe('backoff', () => {
  it('grows exponentially, stays capped and jitters within the upper half', () => {
    const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((retry) => computeBackoff(retry, policy, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(computeBackoff(1, policy, () => 0)).toBe(50);
  });
});

describe('circuit breaker', () => {
  it('opens at the threshold, lets one trial through after openMs, re-opens on failure, closes on success', () => {
    let now = 0;
    const breakers = createCircuitBreakers({ failureThreshold: 2, openMs: 1000, now: () => now });
    breakers.recordFailure('a');
    expect(breakers.state('a')).toBe('closed');
    breakers.recordFailure('a');
    expect(breakers.allow('a')).toBe(false);
    expect(breakers.allow('b')).toBe(true);
    now = 1000;
    expect(breakers.state('a')).toBe('half-open');
    breakers.recordFailure('a');
    expect(breakers.state('a')).toBe('open');
    now = 2000;
    breakers.recordSuccess('a');
    expect(breakers.state('a')).toBe('closed');
  });
});

describe('keyed mutex', () => {
  it('serialises one key and forgets it when idle', async () => {
    const mutex = createKeyedMutex();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`start ${name}`);
      await new Promise((resolve) => setImmediate(resolve));
      log.push(`end ${name}`);
    };
    await Promise.all([mutex.run('k', task('a')), mutex.run('k', task('b'))]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
    expect(mutex.size).toBe(0);
  });

  it('runs tasks of different keys at the same time', async () => {
    const mutex = createKeyedMutex();
    let releaseFirst = (): void => undefined;
    const first = mutex.run('bmc-1', () => new Promise<void>((resolve) => (releaseFirst = resolve)));

    const second = await mutex.run('bmc-2', () => Promise.resolve('done while bmc-1 is busy'));

    expect(second).toBe('done while bmc-1 is busy');
    expect(mutex.size).toBe(1);
    releaseFirst();
    await first;
    expect(mutex.size).toBe(0);
  });
});

describe('bmcKey', () => {
  it('names one BMC however its address is spelled', () => {
    expect(bmcKey('ipmi://10.0.0.9')).toBe(bmcKey('ipmi://10.0.0.9:623/'));
    expect(bmcKey('redfish://h/redfish/v1/Systems/1')).toBe(bmcKey('redfish+https://h:443/redfish/v1/Systems/2'));
    expect(bmcKey('not a url')).toBe('not a url');
  });
});

describe('isolated driver retries', () => {
  const unreachable = new BmcError('BMC_UNREACHABLE', 'gone');
  const timeout = new BmcError('BMC_TIMEOUT', 'slow');
  const auth = new BmcError('BMC_AUTH', 'refused');

  it('retries transient errors up to the bound', async () => {
    const { driver, calls } = scripted([unreachable, timeout, 'on']);
    expect(await isolateBmcDriver(driver, noWait).getPower(target)).toBe('on');
    expect(calls()).toBe(3);
  });

  it('does not retry non-transient errors', async () => {
    const { driver, calls } = scripted([auth, 'on']);
    await expect(isolateBmcDriver(driver, noWait).getPower(target)).rejects.toMatchObject({ code: 'BMC_AUTH' });
    expect(calls()).toBe(1);
  });

  it('retries cycle only when the request cannot have reached the BMC', async () => {
    const timedOut = scripted([timeout, 'on']);
    await expect(isolateBmcDriver(timedOut.driver, noWait).ensurePower(target, 'cycle')).rejects.toMatchObject({ code: 'BMC_TIMEOUT' });
    expect(timedOut.calls()).toBe(1);
    const refused = scripted([unreachable, 'on']);
    expect(await isolateBmcDriver(refused.driver, noWait).ensurePower(target, 'cycle')).toMatchObject({ changed: true });
    expect(refused.calls()).toBe(2);
  });

  it('fails fast with BMC_CIRCUIT_OPEN once the breaker opens, and an answered error keeps it closed', async () => {
    const dead = scripted([unreachable]);
    const client = isolateBmcDriver(dead.driver, { ...noWait, retry: { attempts: 2 }, breaker: { failureThreshold: 2 } });
    await expect(client.getPower(target)).rejects.toMatchObject({ code: 'BMC_UNREACHABLE' });
    await expect(client.getPower(target)).rejects.toMatchObject({ code: 'BMC_CIRCUIT_OPEN', transient: true });
    expect(dead.calls()).toBe(2);

    const refusing = scripted([auth]);
    const other = isolateBmcDriver(refusing.driver, { ...noWait, breaker: { failureThreshold: 1 } });
    await expect(other.getPower(target)).rejects.toMatchObject({ code: 'BMC_AUTH' });
    expect(other.breakers.state(bmcKey(target.address))).toBe('closed');
    expect(client.breakers.state(bmcKey(target.address))).toBe('open');
  });
});
