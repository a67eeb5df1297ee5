import { describe, expect, it } from '@jest/globals';
import { renderPlanJson } from './render-json.js';
import { renderPlanMarkdown } from './render-markdown.js';
import { renderPlanText } from './render-text.js';
import type { Plan, PlannedAction } from './types.js';

function makeAction(hostname: string, kind: PlannedAction['kind'], destructive: boolean, reason: string): PlannedAction {
  return { id: `${hostname}/${kind}`, nodeId: hostname, hostname: `${hostname}.example.net`, role: 'compute', availabilityZone: 'az-1', kind, destructive, wave: 60, reason, steps: [], dependsOn: [] };
}

const plan: Plan = {
  cluster: 'pub1',
  revision: 'feature@sha1:2',
  baseRevision: 'main@sha1:1',
  actions: [makeAction('c1', 'enrol', false, 'new compute machine'), makeAction('c2', 'decommission', true, 'Node asks | for it')],
  blocked: [{ action: makeAction('c3', 'reprovision', true, 'role changed from compute to network'), code: 'approval-required', message: 'needs approval' }],
  problems: [{ code: 'ipam-exhausted', message: 'no address left', severity: 'warning' }],
  summary: { enrol: 1, change: 0, reprovision: 1, wipe: 1, destructive: 2, blocked: 1 },
};

describe('plan renderings', () => {
  it('puts destructive actions apart with a warning, blocked ones with their trailer, the summary last', () => {
    const markdown = renderPlanMarkdown(plan);
    expect(markdown).toContain('**Base** `main@sha1:1` → **head** `feature@sha1:2`');
    expect(markdown).toContain('> **Warning:** 2 destructive action(s)');
    expect(markdown).toContain('### Destructive (2)');
    expect(markdown).toContain('| `-` | `c2` | decommission | az-1 | Node asks \\| for it | runs |');
    expect(markdown).toContain('| `-/+` | `c3` | reprovision | az-1 | role changed from compute to network | blocked |');
    expect(markdown).toContain('| `-/+` | `c3` | reprovision | approval-required: needs approval | `Plinth-Approve: reprovision c3` |');
    expect(markdown).toContain('### + Enrol (1)');
    expect(markdown).not.toMatch(/### \+ Enrol[\s\S]*`c2`[\s\S]*### Problems/);
    expect(markdown.endsWith('\nPlan: 1 to enrol, 0 to change, 1 to reprovision, 1 to wipe/decommission.\n')).toBe(true);
  });

  it('writes one line per action for a terminal, then the summary', () => {
    const text = renderPlanText(plan);
    expect(text).toContain('  + enrol        c1.example.net (compute, wave 60, az-1): new compute machine');
    expect(text).toContain('      blocked (approval-required): needs approval');
    expect(text.trimEnd().split('\n').pop()).toBe('Plan: 1 to enrol, 0 to change, 1 to reprovision, 1 to wipe/decommission.');
  });

  it('gives tools the plan itself as JSON', () => {
    expect(JSON.parse(renderPlanJson(plan))).toEqual(plan);
  });
});
