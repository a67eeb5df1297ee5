import type { Problem } from '../../lib/problems.js';
import type { Location } from '../kinds/index.js';
import { problemAt, type ValidDocument } from '../loaded-document.js';
import type { PathSegment } from '../yaml-position.js';
import { listPlaceholders } from './references.js';
import type { RuleContext } from './rule-context.js';

/** Compiles a pattern with the flags matching uses, or says why it does not compile. */
function compile(document: ValidDocument, path: PathSegment[], source: string, problems: Problem[]): RegExp | undefined {
  try {
    return new RegExp(source, 'u');
  } catch (error) {
    problems.push(problemAt(document, path, 'invalid-pattern', `\`${source}\` is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`));
    return undefined;
  }
}

function namedGroups(pattern: RegExp): Set<string> {
  // A RegExp only reveals its group names on a successful match, so they are read from the source.
  return new Set([...pattern.source.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((match) => match[1] ?? ''));
}

const PLACEMENT_FIELDS = ['datacenter', 'row', 'rack', 'availabilityZone'] as const;

function checkLocation(document: ValidDocument<Location>, switchNames: Map<string, ValidDocument>, problems: Problem[]): void {
  document.manifest.spec.switches.forEach((entry, index) => {
    const base = ['spec', 'switches', index];
    const groups = 'pattern' in entry && entry.pattern !== undefined ? namedGroups(compile(document, [...base, 'pattern'], entry.pattern, problems) ?? /(?:)/) : new Set<string>();
    for (const field of PLACEMENT_FIELDS) {
      const value = entry[field];
      const missing = value === undefined ? undefined : listPlaceholders(value).find((name) => !groups.has(name));
      if (missing !== undefined) {
        problems.push(problemAt(document, [...base, field], 'invalid-pattern', `placeholder {${missing}} is not a named group of the switch pattern; add (?<${missing}>...) to the pattern or write the value out`));
      }
    }
    if ('name' in entry && entry.name !== undefined) {
      const owner = switchNames.get(entry.name);
      if (owner) problems.push(problemAt(document, [...base, 'name'], 'duplicate-switch', `switch \`${entry.name}\` is already placed by Location \`${owner.name}\`; a switch is in one place`));
      else switchNames.set(entry.name, document);
    }
  });
}

/** Rules `invalid-pattern` and `duplicate-switch`: regular expressions compile, and placement templates use their groups. */
export function checkMatchPatterns(context: RuleContext): Problem[] {
  const problems: Problem[] = [];
  for (const document of context.ofKind('HardwareProfile')) {
    const match = document.manifest.spec.match;
    if (match.cpuModel !== undefined) compile(document, ['spec', 'match', 'cpuModel'], match.cpuModel, problems);
    if (match.raidController !== undefined) compile(document, ['spec', 'match', 'raidController'], match.raidController, problems);
  }
  const switchNames = new Map<string, ValidDocument>();
  for (const document of context.ofKind('Location')) checkLocation(document, switchNames, problems);
  return problems;
}
