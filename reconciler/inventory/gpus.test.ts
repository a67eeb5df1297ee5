import { describe, expect, it } from '@jest/globals';
import { isGpu } from './gpus.js';

describe('isGpu', () => {
  it('counts 3D controllers and accelerators', () => {
    expect(isGpu({ class: '0302', vendorId: '10de', deviceId: '20b5' })).toBe(true);
    expect(isGpu({ class: '1200', vendorId: '1da3', deviceId: '1000' })).toBe(true);
    expect(isGpu({ class: '0380', vendorId: '1002', deviceId: '738c' })).toBe(true);
  });

  it('counts a data-centre GPU that presents itself as VGA', () => {
    expect(isGpu({ class: '0300', vendorId: '10de', deviceId: '2230' })).toBe(true);
  });

  it('leaves out BMC, onboard and emulated displays', () => {
    expect(isGpu({ class: '0300', vendorId: '1a03', deviceId: '2000' })).toBe(false);
    expect(isGpu({ class: '0300', vendorId: '102b', deviceId: '0536' })).toBe(false);
    expect(isGpu({ class: '0300', vendorId: '19e5', deviceId: '1711' })).toBe(false);
    expect(isGpu({ class: '0300', vendorId: '1234', deviceId: '1111' })).toBe(false);
  });

  it('leaves out devices of other classes', () => {
    expect(isGpu({ class: '0200', vendorId: '10de', deviceId: '1234' })).toBe(false);
  });
});
