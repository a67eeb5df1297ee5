import { createHash } from 'node:crypto';
import { PlinthError } from '../../../lib/errors.js';
import { quoteShellWord } from '../../../lib/shell-quote.js';
import type { RecipeImage } from '../types.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The text fed to `sh -s` on the node: the variables exported first, then the recipe. Values travel in
 * the script on stdin, never on a command line, so secrets do not show up in the node's process list.
 */
export function renderRecipeScript(recipe: RecipeImage): string {
  const variables = { ...recipe.env, ...recipe.secretEnv };
  const exports = Object.keys(variables)
    .sort()
    .map((name) => `export ${name}=${quoteShellWord(variables[name] ?? '')}`);
  return `${exports.join('\n')}\n${recipe.script}\n`;
}

/** Every problem with the recipe's variables at once; an empty list means it can run. */
export function checkRecipe(recipe: RecipeImage): string[] {
  const problems: string[] = [];
  const names = [...Object.keys(recipe.env ?? {}), ...Object.keys(recipe.secretEnv ?? {})];
  for (const name of names) {
    if (!ENV_NAME.test(name)) problems.push(`variable name ${JSON.stringify(name)} is not a shell identifier`);
  }
  const duplicated = Object.keys(recipe.env ?? {}).filter((name) => recipe.secretEnv?.[name] !== undefined);
  for (const name of duplicated) problems.push(`variable ${name} is both in env and secretEnv`);
  if (recipe.script.trim() === '') problems.push('the script is empty');
  return problems;
}

export function assertRecipeRunnable(recipe: RecipeImage): void {
  const problems = checkRecipe(recipe);
  if (problems.length > 0) {
    throw new PlinthError('IMAGE_INVALID', `Recipe ${recipe.name}: ${problems.join('; ')}`, { details: { image: recipe.name, problems } });
  }
}

/** Identifies what was installed: the script and every variable, so a changed setting re-runs the recipe. */
export function digestRecipe(recipe: RecipeImage): string {
  const sorted = (values: Record<string, string> | undefined): [string, string][] =>
    Object.entries(values ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256')
    .update(JSON.stringify({ script: recipe.script, env: sorted(recipe.env), secretEnv: sorted(recipe.secretEnv) }))
    .digest('hex');
}

/** The last lines of the installer's output, with every secret value replaced. */
export function tailOutput(output: string, recipe: RecipeImage, maxLines = 40): string {
  let text = output.split('\n').slice(-maxLines - 1).join('\n');
  const secrets = Object.values(recipe.secretEnv ?? {}).filter((value) => value.length > 0);
  // Longest first, so a secret that contains another is removed whole.
  for (const secret of secrets.sort((a, b) => b.length - a.length)) text = text.split(secret).join('[redacted]');
  return text;
}
