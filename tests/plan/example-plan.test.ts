import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DesiredState } from '../../reconciler/manifests/desired-state.js';
import { formatApprovalTrailer, parseApprovalTrailers } from '../../reconciler/plan/approvals.js';
import { renderPlanMarkdown } from '../../reconciler/plan/render-markdown.js';
import { buildExampleSnapshot } from '../support/example-inventory.js';
import { copyExample, dropDocument, loadValid, planPullRequest, PROFILES_FILE } from './example-repo.js';

const snapshot = buildExampleSnapshot();
const GOLDEN = join(import.meta.dirname, 'golden', 'first-messaging-node.md');

describe('plans of pull requests on the example repository', () => {
  let example: Awaited<ReturnType<typeof copyExample>>;
  let original: DesiredState;

  beforeAll(async () => {
    example = await copyExample();
    original = await loadValid(example.dir);
  });
  afterAll(async () => example.remove());

  it('plans nothing when the head is the base', () => {
    const plan = planPullRequest(original, original, snapshot);
    expect(plan.actions).toEqual([]);
    expect(plan.blocked).toEqual([]);
    expect(renderPlanMarkdown(plan).trimEnd().split('\n').pop()).toBe('Plan: 0 to enrol, 0 to change, 0 to reprovision, 0 to wipe/decommission.');
  });

  it("shows a profile's role change as a blocked -/+ reprovision, runnable once the trailer is added", async () => {
    await example.edit(PROFILES_FILE, (text) => text.replace('  role: network\n', '  role: compute\n'));
    const head = await loadValid(example.dir);
    await example.edit(PROFILES_FILE, (text) => text.replace(/(name: network-node[\s\S]*?) {2}role: compute\n/, '$1  role: network\n'));
    const blocked = planPullRequest(original, head, snapshot);
    const reprovision = blocked.blocked.find((entry) => entry.action.kind === 'reprovision');
    expect(reprovision?.code).toBe('approval-required');
    expect(reprovision?.action.reason).toBe('role changed from network to compute');
    expect(blocked.actions.some((action) => action.kind === 'reprovision')).toBe(false);
    const markdown = renderPlanMarkdown(blocked);
    expect(markdown).toContain(`| \`-/+\` | \`${reprovision?.action.hostname.split('.')[0] ?? ''}\` | reprovision |`);
    expect(markdown).toContain(`\`${formatApprovalTrailer(reprovision?.action ?? { kind: 'reprovision', hostname: '' })}\``);
    const message = `Turn the network node into a compute\n\n${formatApprovalTrailer(reprovision?.action ?? { kind: 'reprovision', hostname: '' })}\n`;
    const approved = planPullRequest(original, head, snapshot, parseApprovalTrailers(message));
    expect(approved.actions.filter((action) => action.kind === 'reprovision').map((action) => action.nodeId)).toEqual([reprovision?.action.nodeId]);
    expect(approved.blocked).toEqual([]);
  });

  it('shows the first messaging node as + enrol and the controllers as ~ reconfigure that wait for it', async () => {
    await example.edit(PROFILES_FILE, (text) => dropDocument(text, 'messaging'));
    const base = await loadValid(example.dir);
    const plan = planPullRequest(base, original, snapshot);
    const enrol = plan.actions.filter((action) => action.kind === 'enrol');
    expect(enrol.map((action) => [action.role, action.hostname])).toEqual([['messaging', 'pub1-messaging-1.pub1.example.net']]);
    const controllers = plan.actions.filter((action) => action.role === 'controller');
    expect(controllers.map((action) => action.kind)).toEqual(['reconfigure', 'reconfigure', 'reconfigure']);
    for (const action of controllers) {
      expect(action.dependsOn).toContain(enrol[0]?.id);
      expect(action.encDiff).toMatch(/^\+.*messaging/m);
    }
    const markdown = renderPlanMarkdown(plan);
    // Secrets appear only as the placeholders compile writes.
    expect(markdown).not.toMatch(/(password|secret|token)[a-z_]*: "(?!ENC_SECRET\()/i);
    if (process.env['UPDATE_GOLDEN'] === '1') await writeFile(GOLDEN, markdown);
    expect(markdown).toBe(await readFile(GOLDEN, 'utf8'));
  });
});
