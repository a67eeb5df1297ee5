import { describe, expect, it } from '@jest/globals';
import type { NodeTarget } from '../compile/types.js';
import { planRevision } from './plan-revision.js';
import { describeAppliedTargets, type NodeProvisioning } from './provisioning.js';
import { renderPlanMarkdown } from './render-markdown.js';
import { splitForComments } from './split-comments.js';

function makeTarget(index: number, extra = ''): NodeTarget {
  const hostname = `node-${String(index).padStart(4, '0')}.example.net`;
  const encYaml = `parameters:\n  plinth_hostname: ${hostname}\n  plinth_role: compute\n${extra}`;
  return {
    nodeId: `SN${index}`, hostname, role: 'compute', installWave: 60, addresses: { provisioning: `10.1.${Math.floor(index / 250)}.${index % 250}` },
    availabilityZone: `az-${index % 3}`, enc: { environment: 'production', classes: {}, parameters: {} }, encYaml, encDigest: `${encYaml.length}:${extra}`,
    secretNames: [], rebootRequired: false, bootMac: '52:54:00:00:00:01', maintenance: false, decommission: false,
  };
}

/** A plan with 300 enrolments and 150 reconfigures, each with an ENC diff. */
function renderLargePlan(): string {
  const applied = Array.from({ length: 150 }, (_, index) => makeTarget(index));
  const targets = [...applied.map((target, index) => makeTarget(index, `  rack: r${index}\n`)), ...Array.from({ length: 300 }, (_, index) => makeTarget(1000 + index))];
  const provisioning = new Map(targets.map((target): [string, NodeProvisioning] => [target.nodeId, { dhcp: { mac: target.bootMac, ip: target.addresses['provisioning'] ?? '', hostname: target.hostname } }]));
  const plan = planRevision({ cluster: 'big', targets, provisioning, applied: describeAppliedTargets(applied, provisioning, 'main@sha1:1'), classifications: [], approvals: { byKind: {} }, budget: {}, revision: 'main@sha1:2' });
  return renderPlanMarkdown(plan);
}

describe('splitForComments', () => {
  const markdown = renderLargePlan();
  const summary = 'Plan: 300 to enrol, 150 to change, 0 to reprovision, 0 to wipe/decommission.';

  it('leaves a plan that fits as it is', () => {
    expect(splitForComments(markdown, markdown.length)).toEqual([markdown]);
  });

  it('keeps every part under the limit, with the header first and the summary last', () => {
    const parts = splitForComments(markdown, 6000);
    expect(parts.length).toBeGreaterThan(5);
    parts.forEach((part, index) => {
      expect(part.length).toBeLessThanOrEqual(6000);
      expect(part.startsWith('## plinth plan: cluster `big`')).toBe(true);
      expect(part.trimEnd().split('\n').pop()).toBe(summary);
      expect(part).toContain(`_Part ${index + 1} of ${parts.length} of this plan._`);
    });
  });

  it('never cuts a row or a diff, and loses or repeats none', () => {
    const parts = splitForComments(markdown, 6000);
    const rows = (text: string): string[] => text.split('\n').filter((line) => /^\| `/.test(line));
    expect(parts.flatMap(rows)).toEqual(rows(markdown));
    for (const part of parts) {
      expect(part.match(/<details>/g)?.length ?? 0).toBe(part.match(/<\/details>/g)?.length ?? 0);
      expect((part.match(/^```/gm)?.length ?? 0) % 2).toBe(0);
      // A table continued from an earlier part starts again with its header.
      for (const [index, line] of part.split('\n').entries()) if (/^\| `/.test(line)) expect(part.split('\n')[index - 1]?.startsWith('|')).toBe(true);
    }
    expect(parts.some((part) => part.includes('(continued)'))).toBe(true);
  });
});
