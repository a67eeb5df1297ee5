import type { Role } from '../manifests/kinds/index.js';
import { containsSecretPlaceholder, secretPlaceholder } from './enc-secrets.js';
import type { CompileProblem, EncDocument, EncValue } from './types.js';

type Setting = string | number | boolean | readonly (string | number | boolean)[];
type Declaration = NonNullable<Role['spec']['parameters']>[string];

export interface EncInputs {
  nodeId: string;
  role: Role;
  environment: string;
  /** Cluster facts merged with this node's facts. */
  facts: Readonly<Record<string, EncValue>>;
  /** Cluster, profile and node settings, wider first: later layers override earlier ones. */
  settings: readonly (Readonly<Record<string, Setting>> | undefined)[];
  /** Top-scope parameters plinth itself sets (`plinth_*`). */
  parameters: Record<string, EncValue>;
}

function matchesType(declaration: Declaration, value: EncValue | Setting): boolean {
  switch (declaration.type) {
    case 'string':
    case 'secret':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
  }
}

/**
 * A class parameter's value: a setting (node over profile over cluster), else the fact the Role routes to it,
 * else a secret placeholder for `secret` parameters, else the Role's default.
 */
function decideParameter(name: string, declaration: Declaration, inputs: EncInputs, merged: Readonly<Record<string, Setting>>): EncValue | CompileProblem {
  const problem = (code: CompileProblem['code'], message: string): CompileProblem => ({ nodeId: inputs.nodeId, code, severity: 'error', message });
  const setting = merged[name];
  if (setting !== undefined) {
    if (declaration.type === 'secret') return problem('setting-secret', `setting ${name} would put a secret in Git; secrets are generated, not set`);
    if (!matchesType(declaration, setting)) return problem('parameter-type', `setting ${name} must be of type ${declaration.type} for role ${inputs.role.metadata.name}`);
    return setting as EncValue;
  }
  const fact = declaration.from === undefined ? undefined : inputs.facts[declaration.from];
  if (fact !== undefined) {
    if (!matchesType(declaration, fact)) return problem('parameter-type', `fact ${declaration.from ?? ''} does not fit parameter ${name} (${declaration.type})`);
    return fact;
  }
  if (declaration.type === 'secret') return secretPlaceholder(name);
  if (declaration.default !== undefined) return declaration.default as EncValue;
  return problem('parameter-missing', `parameter ${name} of role ${inputs.role.metadata.name} has no value: no setting, fact or default gives one`);
}

function isProblem(value: EncValue | CompileProblem): value is CompileProblem {
  return typeof value === 'object' && !Array.isArray(value) && 'code' in value && 'severity' in value;
}

/** Builds a node's ENC: its role class with every declared parameter, and the top-scope parameters. */
export function buildEnc(inputs: EncInputs): { enc: EncDocument; problems: CompileProblem[] } {
  const merged: Record<string, Setting> = Object.assign({}, ...inputs.settings.filter((layer) => layer !== undefined));
  const problems: CompileProblem[] = [];
  for (const [name, value] of Object.entries(merged)) {
    if ([value].flat().some((item) => typeof item === 'string' && containsSecretPlaceholder(item))) {
      problems.push({ nodeId: inputs.nodeId, code: 'setting-secret', severity: 'error', message: `setting ${name} holds a secret placeholder; only plinth writes those` });
    }
  }
  const classParameters: Record<string, EncValue> = {};
  const declarations = inputs.role.spec.parameters ?? {};
  for (const [name, declaration] of Object.entries(declarations)) {
    const value = decideParameter(name, declaration, inputs, merged);
    if (isProblem(value)) problems.push(value);
    else classParameters[name] = value;
  }
  // Settings no class parameter takes become top-scope variables, as OCI passes its cluster settings.
  const parameters: Record<string, EncValue> = {};
  for (const [name, value] of Object.entries(merged)) if (!(name in declarations)) parameters[name] = value as EncValue;
  Object.assign(parameters, inputs.parameters);
  const enc: EncDocument = { environment: inputs.environment, classes: { [inputs.role.spec.puppetClass]: classParameters }, parameters };
  return { enc, problems };
}
