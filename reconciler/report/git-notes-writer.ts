import { runCommand, type CommandOptions, type CommandRunner } from '../lib/command.js';
import { PlinthError } from '../lib/errors.js';
import { replaceNoteBlock } from './note-blocks.js';

export interface GitNotesWriterOptions {
  /** The controller's clone (the one the source checks out). */
  repoPath: string;
  remote?: string;
  /** Short name under refs/notes/. */
  notesRef?: string;
  /** Fetch–merge–push rounds before giving up with a transient error. */
  maxAttempts?: number;
  /** Who the notes commits are by; the controller's clone has no user configured. */
  identity?: { name: string; email: string };
  run?: CommandRunner;
}

export interface NoteWriteResult {
  /** False when the remote already held exactly this note: nothing was committed or pushed. */
  changed: boolean;
  attempts: number;
}

const GIT_TIMEOUT_MS = 60_000;

/**
 * Writes a revision summary as a git note (`refs/notes/plinth`) on the applied commit and pushes it.
 * A rejected push means another writer got there first: fetch their notes, merge with the `union`
 * strategy, rewrite our block and try again. `union` rather than `cat_sort_uniq`: sorting would
 * interleave the lines of two multi-line summaries on the same commit; union keeps each one whole and
 * `replaceNoteBlock` then leaves exactly one block per cluster.
 */
export class GitNotesWriter {
  private readonly remote: string;
  private readonly ref: string;
  private readonly remoteCopy: string;
  private readonly run: CommandRunner;

  constructor(private readonly options: GitNotesWriterOptions) {
    this.remote = options.remote ?? 'origin';
    const name = options.notesRef ?? 'plinth';
    this.ref = `refs/notes/${name}`;
    this.remoteCopy = `refs/notes/${name}-remote`;
    this.run = options.run ?? runCommand;
  }

  /** Ensures the note of `sha` holds `block` as its cluster's summary, locally and on the remote. */
  async writeNote(sha: string, block: string): Promise<NoteWriteResult> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const remoteHead = await this.fetchRemoteNotes();
      if (remoteHead) await this.mergeRemoteNotes();
      const current = await this.readNote(sha);
      const wanted = replaceNoteBlock(current ?? '', block);
      if (current !== wanted) await this.git(['notes', `--ref=${this.ref}`, 'add', '--force', '--file=-', sha], { input: wanted });
      const localHead = await this.resolve(this.ref);
      if (localHead === remoteHead) return { changed: false, attempts: attempt };
      const pushed = await this.git(['push', '--quiet', '--porcelain', this.remote, `${this.ref}:${this.ref}`], {}, true);
      if (pushed.exitCode === 0) return { changed: true, attempts: attempt };
    }
    throw new PlinthError('REPORT_NOTES_PUSH_FAILED', `could not push ${this.ref} after ${maxAttempts} attempts`, {
      transient: true,
      details: { sha, ref: this.ref, attempts: maxAttempts },
    });
  }

  /** Reads the note of `sha` from the local notes ref; undefined when there is none. */
  async readNote(sha: string): Promise<string | undefined> {
    const result = await this.git(['notes', `--ref=${this.ref}`, 'show', sha], {}, true);
    return result.exitCode === 0 ? result.stdout : undefined;
  }

  /** The remote's notes head, copied to a local ref; undefined when the remote has no notes yet. */
  private async fetchRemoteNotes(): Promise<string | undefined> {
    const ls = await this.git(['ls-remote', this.remote, this.ref]);
    const remoteHead = ls.stdout.split('\t')[0]?.trim();
    if (!remoteHead) return undefined;
    await this.git(['fetch', '--quiet', '--no-tags', this.remote, `+${this.ref}:${this.remoteCopy}`]);
    return this.resolve(this.remoteCopy);
  }

  private async mergeRemoteNotes(): Promise<void> {
    const local = await this.resolve(this.ref);
    // With no local notes yet the remote's are simply adopted.
    if (!local) return void (await this.git(['update-ref', this.ref, this.remoteCopy]));
    await this.git(['notes', `--ref=${this.ref}`, 'merge', '--quiet', '--strategy=union', this.remoteCopy]);
  }

  private async resolve(ref: string): Promise<string | undefined> {
    const result = await this.git(['rev-parse', '--verify', '--quiet', ref], {}, true);
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  }

  private async git(args: string[], options: CommandOptions = {}, allowFailure = false): Promise<{ exitCode: number; stdout: string }> {
    const identity = this.options.identity ?? { name: 'plinth', email: 'plinth@localhost' };
    const env = {
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
      GIT_TERMINAL_PROMPT: '0',
    };
    const result = await this.run('git', ['-C', this.options.repoPath, ...args], { timeoutMs: GIT_TIMEOUT_MS, ...options, env });
    if (result.exitCode !== 0 && !allowFailure) {
      throw new PlinthError('REPORT_NOTES_GIT_FAILED', `git ${args[0] ?? ''} failed while writing notes`, {
        transient: true,
        details: { step: args[0], exitCode: result.exitCode, stderr: result.stderr.trim().slice(0, 500) },
      });
    }
    return result;
  }
}
