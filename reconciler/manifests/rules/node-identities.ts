import { toMacKey } from '../../lib/mac-address.js';
import type { Problem } from '../../lib/problems.js';
import type { Node } from '../kinds/index.js';
import { problemAt, type ValidDocument } from '../loaded-document.js';
import type { PathSegment } from '../yaml-position.js';
import type { RuleContext } from './rule-context.js';

/** Reports a value already claimed by another node; the first definition in file order keeps it. */
function claim(
  owners: Map<string, ValidDocument<Node>>,
  key: string,
  document: ValidDocument<Node>,
  path: PathSegment[],
  rule: string,
  what: string,
): Problem[] {
  const owner = owners.get(key);
  if (!owner) {
    owners.set(key, document);
    return [];
  }
  return [problemAt(document, path, rule, `${what} is already used by Node \`${owner.name}\` (${owner.file}:${owner.source.line}); each machine needs its own`)];
}

/**
 * Rules `node-identity`, `duplicate-mac`, `duplicate-serial`, `duplicate-hostname`: every pinned node is one
 * machine, found by a serial or MAC that no other node claims.
 */
export function checkNodeIdentities(context: RuleContext): Problem[] {
  const owners = new Map<string, ValidDocument<Node>>();
  const problems: Problem[] = [];
  const replaced = new Map<string, ValidDocument<Node>>();
  for (const document of context.ofKind('Node')) {
    const spec = document.manifest.spec;
    if (spec.serial === undefined && spec.mac === undefined) {
      problems.push(problemAt(document, ['spec'], 'node-identity', 'a Node needs `serial` (or `mac` when the serial is unusable) to tell which machine it is'));
    }
    if (spec.serial !== undefined) problems.push(...claim(owners, `serial/${spec.serial}`, document, ['spec', 'serial'], 'duplicate-serial', `serial ${spec.serial}`));
    if (spec.mac !== undefined) problems.push(...claim(owners, `mac/${toMacKey(spec.mac)}`, document, ['spec', 'mac'], 'duplicate-mac', `MAC ${spec.mac}`));
    if (spec.hostname !== undefined) {
      const short = spec.hostname.split('.')[0] ?? spec.hostname;
      problems.push(...claim(owners, `hostname/${short.toLowerCase()}`, document, ['spec', 'hostname'], 'duplicate-hostname', `hostname ${short}`));
    }
    if (spec.replaces !== undefined) {
      if (spec.replaces === spec.serial) problems.push(problemAt(document, ['spec', 'replaces'], 'node-identity', 'a machine cannot replace itself; `replaces` takes the serial of the failed machine'));
      else problems.push(...claim(replaced, spec.replaces, document, ['spec', 'replaces'], 'node-identity', `replacement of ${spec.replaces}`));
    }
  }
  return problems;
}
