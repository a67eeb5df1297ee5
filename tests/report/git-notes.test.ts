import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCommand, type CommandRunner } from '../../reconciler/lib/command.js';
import { GitNotesWriter } from '../../reconciler/report/git-notes-writer.js';
import { cloneRemote, createGitFixture, type GitFixture } from '../support/git-repo.js';

const block = (cluster: string, sha: string, state: string): string => `plinth: ${cluster} main@sha1:${sha} ${state} (applied)\nactions:\n  enrol: 2 succeeded\n`;

/** The notes as a newcomer sees them: a plain clone, then the documented notes fetch. */
async function readPublishedNote(fixture: GitFixture, name: string, sha: string): Promise<string> {
  const { git } = await cloneRemote(fixture, name);
  await git.raw(['fetch', '--quiet', 'origin', 'refs/notes/*:refs/notes/*']);
  return git.raw(['notes', '--ref=plinth', 'show', sha]);
}

async function remoteNotesHead(fixture: GitFixture): Promise<string> {
  return (await fixture.work.raw(['ls-remote', 'origin', 'refs/notes/plinth'])).split('\t')[0] ?? '';
}

describe('GitNotesWriter against a bare remote', () => {
  let fixture: GitFixture;
  let first: string;
  let second: string;

  beforeAll(async () => {
    fixture = await createGitFixture('plinth-notes-');
    first = await fixture.commitFiles({ 'cluster.yaml': 'kind: Cluster\n' }, 'first');
    second = await fixture.commitFiles({ 'nodes/n1.yaml': 'kind: Node\n' }, 'second');
  });
  afterAll(async () => fixture.remove());

  it('publishes a note that a plain clone sees after fetching refs/notes/*', async () => {
    const { dir } = await cloneRemote(fixture, 'controller-a');
    const result = await new GitNotesWriter({ repoPath: dir }).writeNote(first, block('par1', first, 'success'));
    expect(result.changed).toBe(true);
    expect(await readPublishedNote(fixture, 'reader-1', first)).toBe(block('par1', first, 'success'));
  });

  it('writes nothing when the same note is written again', async () => {
    const { dir } = await cloneRemote(fixture, 'controller-b');
    const before = await remoteNotesHead(fixture);
    const result = await new GitNotesWriter({ repoPath: dir }).writeNote(first, block('par1', first, 'success'));
    expect(result).toEqual({ changed: false, attempts: 1 });
    expect(await remoteNotesHead(fixture)).toBe(before);
  });

  it('keeps both notes when two writers race on different commits', async () => {
    const one = new GitNotesWriter({ repoPath: (await cloneRemote(fixture, 'race-1')).dir });
    const two = new GitNotesWriter({ repoPath: (await cloneRemote(fixture, 'race-2')).dir });
    await Promise.all([one.writeNote(second, block('par1', second, 'failure')), two.writeNote(first, block('par2', first, 'success'))]);
    expect(await readPublishedNote(fixture, 'reader-2', second)).toBe(block('par1', second, 'failure'));
    expect(await readPublishedNote(fixture, 'reader-3', first)).toBe(block('par1', first, 'success') + block('par2', first, 'success'));
  });

  it('keeps both clusters\' summaries when two writers race on the same commit', async () => {
    const one = new GitNotesWriter({ repoPath: (await cloneRemote(fixture, 'same-1')).dir });
    const two = new GitNotesWriter({ repoPath: (await cloneRemote(fixture, 'same-2')).dir });
    await Promise.all([one.writeNote(second, block('ams1', second, 'success')), two.writeNote(second, block('lon1', second, 'pending'))]);
    const note = await readPublishedNote(fixture, 'reader-4', second);
    expect(note).toBe(block('ams1', second, 'success') + block('lon1', second, 'pending') + block('par1', second, 'failure'));
  });

  it('replaces its own cluster\'s earlier summary on the commit', async () => {
    const { dir } = await cloneRemote(fixture, 'controller-c');
    await new GitNotesWriter({ repoPath: dir }).writeNote(second, block('par1', second, 'success'));
    const note = await readPublishedNote(fixture, 'reader-5', second);
    expect(note).toContain(block('par1', second, 'success'));
    expect(note).not.toContain('par1 main@sha1:' + second + ' failure');
  });

  it('fetches, merges and retries when its push is rejected as non-fast-forward', async () => {
    const third = await fixture.commitFiles({ 'nodes/n2.yaml': 'kind: Node\n' }, 'third');
    const other = new GitNotesWriter({ repoPath: (await cloneRemote(fixture, 'late-1')).dir });
    let interposed = false;
    // Before this writer's first push, the other writer publishes: the push must be rejected and retried.
    const runAfterOtherWriter: CommandRunner = async (file, args, options) => {
      if (!interposed && args.includes('push')) {
        interposed = true;
        await other.writeNote(third, block('par2', third, 'success'));
      }
      return runCommand(file, args, options);
    };
    const writer = new GitNotesWriter({ repoPath: (await cloneRemote(fixture, 'late-2')).dir, run: runAfterOtherWriter });
    const result = await writer.writeNote(third, block('par1', third, 'success'));
    expect(result).toEqual({ changed: true, attempts: 2 });
    expect(await readPublishedNote(fixture, 'reader-6', third)).toBe(block('par1', third, 'success') + block('par2', third, 'success'));
  });
});
