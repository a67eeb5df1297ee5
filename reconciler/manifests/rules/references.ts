import type { Problem } from '../../lib/problems.js';
import type { KindName } from '../kinds/index.js';
import { problemAt, type ValidDocument } from '../loaded-document.js';
import type { PathSegment } from '../yaml-position.js';
import type { RuleContext } from './rule-context.js';
import { suggestName } from './suggest-name.js';

interface Reference {
  kind: KindName;
  name: string;
  path: PathSegment[];
  atKey?: boolean;
}

function optional(kind: KindName, name: string | undefined, path: PathSegment[]): Reference[] {
  return name === undefined ? [] : [{ kind, name, path }];
}

/** Every name each kind refers to, with where it is written. */
function listReferences(context: RuleContext): { from: ValidDocument; reference: Reference }[] {
  const found: { from: ValidDocument; reference: Reference }[] = [];
  const add = (from: ValidDocument, references: Reference[]) => references.forEach((reference) => found.push({ from, reference }));
  for (const from of context.ofKind('HardwareProfile')) {
    const spec = from.manifest.spec;
    add(from, [
      { kind: 'Role', name: spec.role, path: ['spec', 'role'] },
      ...(spec.match.gpus ?? []).map((gpu, index): Reference => ({ kind: 'GpuModel', name: gpu.model, path: ['spec', 'match', 'gpus', index, 'model'] })),
      ...optional('CpuModel', spec.cpu?.model, ['spec', 'cpu', 'model']),
      ...optional('Image', spec.image, ['spec', 'image']),
    ]);
  }
  for (const from of context.ofKind('Node')) {
    const spec = from.manifest.spec;
    add(from, [
      ...optional('HardwareProfile', spec.profile, ['spec', 'profile']),
      ...optional('Role', spec.role, ['spec', 'role']),
      ...optional('Location', spec.location, ['spec', 'location']),
      ...optional('Image', spec.image, ['spec', 'image']),
      ...optional('CpuModel', spec.cpu?.model, ['spec', 'cpu', 'model']),
      ...Object.keys(spec.addresses ?? {}).map((network): Reference => ({ kind: 'Network', name: network, path: ['spec', 'addresses', network], atKey: true })),
    ]);
  }
  for (const from of context.ofKind('Cluster')) add(from, optional('CpuModel', from.manifest.spec.cpu?.model, ['spec', 'cpu', 'model']));
  for (const from of context.ofKind('Network')) {
    add(from, (from.manifest.spec.perLocation ?? []).map((subnet, index): Reference => ({ kind: 'Location', name: subnet.location, path: ['spec', 'perLocation', index, 'location'] })));
  }
  return found;
}

/** Rule `dangling-reference`: every name a manifest mentions is declared (roles may come from `roles/`). */
export function checkReferences(context: RuleContext): Problem[] {
  return listReferences(context)
    .filter(({ reference }) => !context.exists(reference.kind, reference.name))
    .map(({ from, reference }) =>
      problemAt(
        from,
        reference.path,
        'dangling-reference',
        `${reference.kind} \`${reference.name}\` is not defined${suggestName(reference.name, context.namesOf(reference.kind))}; declare it (kind: ${reference.kind}) or fix the name`,
        { atKey: reference.atKey ?? false },
      ),
    );
}

/** Placeholders such as `{row}` in a Location value; a literal value has none. */
export function listPlaceholders(text: string): string[] {
  return [...text.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1] ?? '');
}

/** Rule `dangling-reference` for placement: a literal availability zone must be one the Cluster declares. */
export function checkAvailabilityZones(context: RuleContext): Problem[] {
  const cluster = context.ofKind('Cluster')[0];
  if (!cluster) return [];
  const zones = cluster.manifest.spec.availabilityZones.map((zone) => zone.name);
  const problems: Problem[] = [];
  for (const location of context.ofKind('Location')) {
    location.manifest.spec.switches.forEach((entry, index) => {
      const zone = entry.availabilityZone;
      if (listPlaceholders(zone).length > 0 || zones.includes(zone)) return;
      problems.push(
        problemAt(location, ['spec', 'switches', index, 'availabilityZone'], 'dangling-reference', `availability zone \`${zone}\` is not declared in the Cluster's spec.availabilityZones${suggestName(zone, zones)}`),
      );
    });
  }
  return problems;
}
