import { simpleGit, type SimpleGit } from 'simple-git';

/** Makes a git client rooted at a directory; injected so callers can add env (GNUPGHOME) or config. */
export type CreateGit = (baseDir: string, env?: Record<string, string>) => SimpleGit;

/** The default client. Git never prompts (a missing credential fails fast instead of hanging the poller). */
export const createGit: CreateGit = (baseDir, env = {}) =>
  simpleGit({ baseDir, maxConcurrentProcesses: 2 }).env({
    ...pickInheritedEnv(),
    GIT_TERMINAL_PROMPT: '0',
    ...env,
  });

/** Only what git needs to find itself and its config; secrets of the controller stay out of git's env. */
function pickInheritedEnv(): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'SSH_AUTH_SOCK', 'GIT_SSH_COMMAND']) {
    const value = process.env[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}
