import { Type, type Static } from '@sinclair/typebox';
import { manifestSchema, strictObject } from './common.js';
import { NETWORK_PURPOSES } from './network.js';

const ParameterSchema = strictObject(
  {
    type: Type.Union([Type.Literal('string'), Type.Literal('integer'), Type.Literal('boolean'), Type.Literal('array'), Type.Literal('secret')], {
      description: 'Type of the value; `secret` values are generated or referenced, never written in Git.',
    }),
    description: Type.String({ minLength: 1, description: 'What the parameter does.' }),
    default: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Array(Type.String())], { description: 'Value when none is set.' })),
    from: Type.Optional(
      Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'Compile fact that gives the value (e.g. `controller_hosts`, `hostname`); a setting of the same name still overrides it.' }),
    ),
  },
  'A Puppet class parameter the ENC may set.',
);

export const RoleSpecSchema = strictObject(
  {
    description: Type.String({ minLength: 1, description: 'What machines with this role do.' }),
    installWave: Type.Integer({ minimum: 0, maximum: 1000, description: 'Install order: lower waves finish before higher ones start.' }),
    puppetClass: Type.String({ pattern: '^[a-z][a-z0-9_]*(::[a-z][a-z0-9_]*)*$', description: 'Puppet class the ENC assigns, e.g. `plinth::role::compute`.' }),
    networks: Type.Optional(
      Type.Array(Type.Union(NETWORK_PURPOSES.map((purpose) => Type.Literal(purpose))), {
        description: 'Purposes of the networks a machine with this role gets an address on (default management and provisioning).',
      }),
    ),
    parameters: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), ParameterSchema, { additionalProperties: false, description: 'Parameter name → declaration.' }),
    ),
  },
  'A role a machine can take.',
);

export const RoleSchema = manifestSchema('Role', 'role', RoleSpecSchema, 'A role: install wave, Puppet class and parameters. Built-in roles live in `roles/`; manifests add custom ones.');
export type Role = Static<typeof RoleSchema>;
