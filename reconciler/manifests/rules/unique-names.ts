import type { Problem } from '../../lib/problems.js';
import { describeSource, problemAt, type LoadedDocument } from '../loaded-document.js';
import type { RuleContext } from './rule-context.js';

/**
 * Rules `duplicate-name` and `defined-twice`: a name identifies one object per kind. The same object in two
 * files is called out as such, since it usually comes from a copy that was meant to be a move.
 */
export function checkUniqueNames(context: RuleContext): Problem[] {
  const first = new Map<string, LoadedDocument>();
  const problems: Problem[] = [];
  for (const loaded of context.documents) {
    if (!loaded.kind || loaded.name === undefined) continue;
    const key = `${loaded.kind}/${loaded.name}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, loaded);
      continue;
    }
    const where = describeSource(earlier.source);
    problems.push(
      earlier.file === loaded.file
        ? problemAt(loaded, ['metadata', 'name'], 'duplicate-name', `${loaded.kind} \`${loaded.name}\` is already defined at ${where}; rename one of them`)
        : problemAt(loaded, ['metadata', 'name'], 'defined-twice', `${loaded.kind} \`${loaded.name}\` is also defined in ${where}; keep one definition and delete the other`),
    );
  }
  return problems;
}

/** Rule `single-cluster`: a repository describes exactly one cluster. */
export function checkSingleCluster(context: RuleContext): Problem[] {
  const clusters = context.documents.filter((loaded) => loaded.kind === 'Cluster');
  if (clusters.length === 0) {
    return [{ severity: 'error', rule: 'single-cluster', message: 'no Cluster manifest found; add one (kind: Cluster) that names the cluster and its domain', file: '', line: 0, col: 0 }];
  }
  const [firstCluster, ...others] = clusters;
  return others
    .filter((loaded) => loaded.name !== firstCluster?.name)
    .map((loaded) =>
      problemAt(loaded, ['metadata', 'name'], 'single-cluster', `a repository describes one cluster, but \`${firstCluster?.name ?? '?'}\` is already declared at ${firstCluster ? describeSource(firstCluster.source) : '?'}; move this one to its own repository`),
    );
}
