import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ControllerOptions } from '../../reconciler/controller/controller.js';
import { withCommitStatuses } from '../../reconciler/controller/status-publisher.js';
import { createLogger, silentLogger } from '../../reconciler/lib/logger.js';
import type { RevisionSummary } from '../../reconciler/report/summary.js';
import { GithubStatusServer } from '../report/github-status-server.js';

const TOKEN = 'publisher-test-token';
const SHA = 'd'.repeat(40);

function summaryOf(overrides: Partial<RevisionSummary>): RevisionSummary {
  return { cluster: 'other-name', revision: `main@sha1:${SHA}`, phase: 'applied', counts: {}, failures: [], blocked: [], pending: 0, validationErrors: [], ...overrides };
}

describe('withCommitStatuses', () => {
  let forge: GithubStatusServer;
  let forgeUrl = '';

  beforeAll(async () => {
    forge = new GithubStatusServer({ owner: 'acme', repo: 'pub1', token: TOKEN });
    forgeUrl = await forge.start();
  });
  afterAll(async () => forge.stop());

  async function waitForStates(sha: string, count: number): Promise<string[]> {
    for (let round = 0; round < 100 && forge.statesOf(sha).length < count; round += 1) await sleep(50);
    return forge.statesOf(sha);
  }

  it('leaves the controller options as they are without a forge', () => {
    const options = { pollIntervalMs: 1 } as ControllerOptions;
    expect(withCommitStatuses({ cluster: 'pub1' }, silentLogger(), options).options).toBe(options);
  });

  it('adds statuses under the configured cluster context and still runs the hooks already set', async () => {
    const started: string[] = [];
    const notes: string[] = [];
    const options = {
      onRevisionStart: (revision: string) => void started.push(revision),
      publish: async (_sha: string, _summary: RevisionSummary, note: string) => void notes.push(note),
    } as unknown as ControllerOptions;
    const wrapped = withCommitStatuses({ cluster: 'pub1', forge: { kind: 'github', baseUrl: forgeUrl, project: 'acme/pub1', token: TOKEN } }, silentLogger(), options).options;

    wrapped.onRevisionStart?.(`main@sha1:${SHA}`);
    await waitForStates(SHA, 1);
    await wrapped.publish?.(SHA, summaryOf({ failures: [{ node: 'lab-cmp-2', action: 'image-deploy', reason: 'checksum mismatch' }], counts: { enrol: { succeeded: 4 } } }), 'the note');
    const states = await waitForStates(SHA, 2);

    expect(started).toEqual([`main@sha1:${SHA}`]);
    expect(notes).toEqual(['the note']);
    expect(forge.refusals).toEqual([]);
    expect(states).toEqual(['pending', 'failure']);
    expect(forge.statuses.get(SHA)?.map((status) => status.context)).toEqual(['plinth/pub1', 'plinth/pub1']);
    expect(forge.statuses.get(SHA)?.[1]?.description).toBe('applied: 4 ok, 1 failed (lab-cmp-2 image-deploy), 0 blocked');
  });

  it('delivers what is still queued when asked to flush, before it returns', async () => {
    const sha = 'e'.repeat(40);
    forge.delayMs = 300;
    try {
      const { options, flushStatuses } = withCommitStatuses({ cluster: 'pub1', forge: { kind: 'github', baseUrl: forgeUrl, project: 'acme/pub1', token: TOKEN } }, silentLogger(), {} as ControllerOptions);
      await options.publish?.(sha, summaryOf({ revision: `main@sha1:${sha}`, counts: { enrol: { succeeded: 2 } } }), 'note');
      expect(forge.statesOf(sha)).toEqual([]);

      await flushStatuses(10_000);

      expect(forge.statesOf(sha)).toEqual(['success']);
    } finally {
      forge.delayMs = 0;
    }
  });

  it('gives up a flush after the time it was given when the forge hangs, saying how many were left', async () => {
    const sha = 'f'.repeat(40);
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    forge.stalled = true;
    try {
      const { options, flushStatuses } = withCommitStatuses({ cluster: 'pub1', forge: { kind: 'github', baseUrl: forgeUrl, project: 'acme/pub1', token: TOKEN } }, log, {} as ControllerOptions);
      await options.publish?.(sha, summaryOf({ revision: `main@sha1:${sha}` }), 'note');

      await flushStatuses(200);

      const warning = lines.map((line) => JSON.parse(line) as { msg: string; undelivered?: number }).find((line) => line.msg === 'commit statuses not delivered before shutdown');
      expect(warning?.undelivered).toBe(1);
      expect(lines.join('\n')).not.toContain(TOKEN);
    } finally {
      forge.stalled = false;
    }
  });
});
