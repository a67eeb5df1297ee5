import { posix } from 'node:path';
import { PlinthError } from '../../../lib/errors.js';
import { silentLogger, type Logger } from '../../../lib/logger.js';
import { quoteShellWord } from '../../../lib/shell-quote.js';
import { openSshSession, type SshConnector, type SshSession } from '../../../lib/ssh-session.js';
import { toImageError } from '../ssh-errors.js';
import type { EnsureImageOptions, ImageDriver, ImageResult, ImageTarget, RecipeImage } from '../types.js';
import { assertRecipeRunnable, digestRecipe, renderRecipeScript, tailOutput } from './recipe-script.js';

export interface RecipeImageDriverDeps {
  connect?: SshConnector;
  log?: Logger;
  /** File on the node recording the digest of the last recipe that succeeded there. */
  stampPath?: string;
  /** Longest an installer may run (default one hour). */
  timeoutMs?: number;
}

const DEFAULT_STAMP = '/var/lib/plinth/recipe.sha256';

/**
 * OCI-style install: streams the recipe to `sh -s` on the node, variables exported first, and keeps the exit
 * code and the tail of the output. A stamp holding the recipe's digest makes a second run a no-op.
 * Example: `await createRecipeImageDriver({ log }).ensureImage(target, { kind: 'recipe', name, script, env })`.
 */
export function createRecipeImageDriver(deps: RecipeImageDriverDeps = {}): ImageDriver<RecipeImage> {
  return {
    method: 'recipe',
    ensureImage: (target, recipe, options) => ensureRecipe(deps, target, recipe, options),
  };
}

async function ensureRecipe(deps: RecipeImageDriverDeps, target: ImageTarget, recipe: RecipeImage, options: EnsureImageOptions = {}): Promise<ImageResult> {
  assertRecipeRunnable(recipe);
  const log = (deps.log ?? silentLogger()).child({ node: target.node, image: recipe.name });
  const digest = digestRecipe(recipe);
  const stamp = deps.stampPath ?? DEFAULT_STAMP;
  let session: SshSession | undefined;
  try {
    session = await (deps.connect ?? openSshSession)(target.ssh);
    const current = await session.exec(`cat ${quoteShellWord(stamp)} 2>/dev/null || true`);
    if (current.stdout.trim() === digest) {
      log.info('recipe already installed');
      return { changed: false, dryRun: options.dryRun ?? false, digest, bytesWritten: 0 };
    }
    if (options.dryRun) return { changed: true, dryRun: true, digest, bytesWritten: 0 };
    options.onProgress?.({ phase: 'install', bytesDone: 0, bytesTotal: 1 });
    const outputTail = await runRecipe(session, target, recipe, deps.timeoutMs ?? 3_600_000);
    await writeStamp(session, target, stamp, digest);
    options.onProgress?.({ phase: 'install', bytesDone: 1, bytesTotal: 1 });
    log.info('recipe installed');
    return { changed: true, dryRun: false, digest, bytesWritten: 0, outputTail };
  } catch (error) {
    throw toImageError(error, target.node);
  } finally {
    session?.close();
  }
}

async function runRecipe(session: SshSession, target: ImageTarget, recipe: RecipeImage, timeoutMs: number): Promise<string> {
  // stderr joins stdout so the tail shows messages in the order the installer printed them.
  const result = await session.exec('sh -s 2>&1', { input: renderRecipeScript(recipe), timeoutMs, maxOutputBytes: 256 * 1024 });
  const outputTail = tailOutput(result.stdout, recipe);
  if (result.exitCode !== 0) {
    throw new PlinthError('IMAGE_RECIPE_FAILED', `Node ${target.node}: recipe ${recipe.name} exited with ${result.exitCode ?? `signal ${result.signal}`}`, {
      details: { node: target.node, image: recipe.name, exitCode: result.exitCode, signal: result.signal, outputTail },
    });
  }
  return outputTail;
}

async function writeStamp(session: SshSession, target: ImageTarget, stamp: string, digest: string): Promise<void> {
  const command = `mkdir -p ${quoteShellWord(posix.dirname(stamp))} && printf '%s\\n' ${digest} > ${quoteShellWord(stamp)}`;
  const result = await session.exec(command);
  if (result.exitCode !== 0) {
    throw new PlinthError('IMAGE_WRITE', `Node ${target.node}: could not record the installed recipe in ${stamp}`, {
      details: { node: target.node, stamp, stderr: result.stderr.slice(-2000) },
    });
  }
}
