import type { Problem } from '../../lib/problems.js';
import { problemAt } from '../loaded-document.js';
import type { RuleContext } from './rule-context.js';

/** Rule `image-source`: an Image is either a golden image (url + sha256 + format) or a recipe, not both or neither. */
export function checkImages(context: RuleContext): Problem[] {
  const problems: Problem[] = [];
  for (const document of context.ofKind('Image')) {
    const spec = document.manifest.spec;
    if ((spec.url === undefined) === (spec.recipe === undefined)) {
      problems.push(problemAt(document, ['spec'], 'image-source', 'give either `url` (a golden image, with sha256 and format) or `recipe`, exactly one of the two'));
      continue;
    }
    if (spec.url === undefined) continue;
    for (const field of ['sha256', 'format'] as const) {
      if (spec[field] === undefined) problems.push(problemAt(document, ['spec'], 'image-source', `a golden image needs \`${field}\` so that what is written to disk can be checked`));
    }
  }
  return problems;
}

/** Rule `image-choice`: a profile without `image` takes the cluster's only Image, so there must be exactly one. */
export function checkImageChoice(context: RuleContext): Problem[] {
  // Count every declared Image, valid or not: a broken one is reported where it stands, not again here.
  const images = context.namesOf('Image');
  if (images.length === 1) return [];
  return context
    .ofKind('HardwareProfile')
    .filter((document) => document.manifest.spec.image === undefined)
    .map((document) =>
      problemAt(document, ['spec'], 'image-choice', images.length === 0 ? 'no Image is declared; add one (kind: Image) for machines of this profile' : `${images.length} Images are declared; say which one with \`image:\``),
    );
}

/** Rule `cpu-model`: mode `custom` needs a model; the other modes ignore it, which is worth a warning. */
export function checkCpuModels(context: RuleContext): Problem[] {
  const problems: Problem[] = [];
  for (const document of context.ofKind('CpuModel')) {
    const { mode, model } = document.manifest.spec;
    if (mode === 'custom' && model === undefined) problems.push(problemAt(document, ['spec', 'mode'], 'cpu-model', 'mode `custom` needs `model`, e.g. EPYC-Rome or Cascadelake-Server'));
    if (mode !== 'custom' && model !== undefined) problems.push(problemAt(document, ['spec', 'model'], 'cpu-model', `\`model\` is ignored with mode \`${mode}\`; use mode custom or remove it`, { severity: 'warning' }));
  }
  return problems;
}

/**
 * Rules `builtin-role` and `plain-text-secret` for roles: a custom Role may not take the name of a built-in one
 * (which one would machines get?), and a `secret` parameter has no default, since the default would sit in Git.
 */
export function checkCustomRoles(context: RuleContext): Problem[] {
  const problems: Problem[] = [];
  for (const document of context.ofKind('Role')) {
    if (context.builtinRoles.has(document.name)) {
      problems.push(problemAt(document, ['metadata', 'name'], 'builtin-role', `\`${document.name}\` is a built-in role; give the custom role another name`));
    }
    for (const [name, parameter] of Object.entries(document.manifest.spec.parameters ?? {})) {
      if (parameter.type === 'secret' && parameter.default !== undefined) {
        problems.push(problemAt(document, ['spec', 'parameters', name, 'default'], 'plain-text-secret', `secret parameter \`${name}\` cannot have a default: it would be in Git; plinth generates or references it`, { atKey: true }));
      }
    }
  }
  return problems;
}
