import { describe, expect, it } from '@jest/globals';
import { validateFiles } from './fixture-repo.js';

describe('the rule-test fixture', () => {
  it('validates clean, so that each rule test breaks exactly one thing', () => {
    const result = validateFiles();
    expect(result.problems).toEqual([]);
    expect(result.desired?.nodes.get('gpu-1')?.spec.serial).toBe('SN001');
  });
});
