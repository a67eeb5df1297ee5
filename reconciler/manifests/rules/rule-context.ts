import type { Problem } from '../../lib/problems.js';
import type { KindName, ManifestOf, Role } from '../kinds/index.js';
import type { LoadedDocument, ValidDocument } from '../loaded-document.js';

/** What every semantic rule sees: the documents, indexed once, and the built-in roles. */
export interface RuleContext {
  /** Every document with a known kind, valid or not, in file order. */
  documents: readonly LoadedDocument[];
  builtinRoles: ReadonlyMap<string, Role>;
  /** The schema-valid documents of one kind. */
  ofKind<K extends KindName>(kind: K): readonly ValidDocument<ManifestOf<K>>[];
  /**
   * Whether an object of that kind and name is declared (valid or not, so that one broken document does not
   * turn every reference to it into a second error). Roles include the built-in catalog.
   */
  exists(kind: KindName, name: string): boolean;
  /** Every declared name of a kind (roles include the built-in catalog), for "did you mean" hints. */
  namesOf(kind: KindName): readonly string[];
}

/** A semantic rule: a small pure function from the whole repository to the problems it finds. */
export type Rule = (context: RuleContext) => Problem[];

export function createRuleContext(documents: readonly LoadedDocument[], builtinRoles: ReadonlyMap<string, Role>): RuleContext {
  const valid = new Map<KindName, ValidDocument[]>();
  const names = new Map<KindName, Set<string>>();
  for (const loaded of documents) {
    if (!loaded.kind) continue;
    if (loaded.name !== undefined) names.set(loaded.kind, (names.get(loaded.kind) ?? new Set()).add(loaded.name));
    if (loaded.valid) {
      const typed = { ...loaded, manifest: loaded.value } as ValidDocument;
      const list = valid.get(loaded.kind);
      if (list) list.push(typed);
      else valid.set(loaded.kind, [typed]);
    }
  }
  return {
    documents,
    builtinRoles,
    ofKind: <K extends KindName>(kind: K) => (valid.get(kind) ?? []) as unknown as readonly ValidDocument<ManifestOf<K>>[],
    exists: (kind, name) => (names.get(kind)?.has(name) ?? false) || (kind === 'Role' && builtinRoles.has(name)),
    namesOf: (kind) => [...(names.get(kind) ?? []), ...(kind === 'Role' ? builtinRoles.keys() : [])],
  };
}
