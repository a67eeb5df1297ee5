import { describe, expect, it } from '@jest/globals';
import { runCommand } from '../../../lib/command.js';
import type { RecipeImage } from '../types.js';
import { checkRecipe, digestRecipe, renderRecipeScript, tailOutput } from './recipe-script.js';

const recipe: RecipeImage = {
  kind: 'recipe',
  name: 'oci',
  script: 'printf "%s|%s" "$SUITE" "$ROOT_PASSWORD"',
  env: { SUITE: "bookworm's" },
  secretEnv: { ROOT_PASSWORD: 'p@ss $(id) `x`' },
};

describe('renderRecipeScript', () => {
  it('exports every variable so that sh sees the exact values', async () => {
    const result = await runCommand('sh', ['-s'], { input: renderRecipeScript(recipe) });

    expect(result.stdout).toBe("bookworm's|p@ss $(id) `x`");
  });
});

describe('digestRecipe', () => {
  it('changes when the script or any variable changes', () => {
    const base = digestRecipe(recipe);

    expect(digestRecipe({ ...recipe })).toBe(base);
    expect(digestRecipe({ ...recipe, env: { SUITE: 'trixie' } })).not.toBe(base);
    expect(digestRecipe({ ...recipe, secretEnv: { ROOT_PASSWORD: 'other' } })).not.toBe(base);
    expect(digestRecipe({ ...recipe, script: 'true' })).not.toBe(base);
  });
});

describe('checkRecipe', () => {
  it('lists every problem at once', () => {
    const problems = checkRecipe({ ...recipe, script: ' ', env: { '1BAD': 'x', ROOT_PASSWORD: 'y' } });

    expect(problems).toEqual([
      'variable name "1BAD" is not a shell identifier',
      'variable ROOT_PASSWORD is both in env and secretEnv',
      'the script is empty',
    ]);
  });
});

describe('tailOutput', () => {
  it('keeps the last lines and removes secret values', () => {
    const output = ['line 1', 'line 2', 'password is p@ss $(id) `x`', ''].join('\n');

    expect(tailOutput(output, recipe, 2)).toBe('line 2\npassword is [redacted]\n');
  });
});
