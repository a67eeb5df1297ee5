import { Type, type Static } from '@sinclair/typebox';
import { manifestSchema, strictObject } from './common.js';

const placementFields = {
  datacenter: Type.Optional(Type.String({ description: 'Datacenter name; may use `{group}` placeholders filled from the pattern\'s named groups.' })),
  row: Type.Optional(Type.String({ description: 'Row in the datacenter; may use `{group}` placeholders.' })),
  rack: Type.Optional(Type.String({ description: 'Rack name; may use `{group}` placeholders.' })),
  availabilityZone: Type.String({ description: 'Availability zone (declared in the Cluster) of machines behind this switch; may use `{group}` placeholders.' }),
  aggregates: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$' }), { description: 'Nova host aggregates the computes behind this switch join.' })),
  ports: Type.Optional(
    Type.Record(Type.String({ pattern: '^.+$' }), Type.Integer({ minimum: 1, maximum: 60 }), {
      description: 'Switch port name (as LLDP reports it) → rack unit of the machine plugged into it.',
    }),
  ),
};

const ExactSwitchSchema = strictObject(
  { name: Type.String({ minLength: 1, description: 'Exact LLDP system name of the top-of-rack switch.' }), ...placementFields },
  'A switch identified by its exact LLDP system name.',
);

const PatternSwitchSchema = strictObject(
  {
    pattern: Type.String({ minLength: 1, description: 'Regular expression over LLDP system names; its named groups fill `{group}` placeholders.' }),
    ...placementFields,
  },
  'Switches identified by a pattern over LLDP system names.',
);

export const LocationSpecSchema = strictObject(
  {
    switches: Type.Array(Type.Union([ExactSwitchSchema, PatternSwitchSchema], { description: 'A switch given by its exact `name` or by a `pattern`, not both, with its placement.' }), {
      minItems: 1,
      description: 'The switches that place a machine here, by the LLDP system name seen on its NICs.',
    }),
  },
  'Where machines are, learned from the switch they are cabled to.',
);

export const LocationSchema = manifestSchema('Location', 'location', LocationSpecSchema, 'Placement: LLDP switch names → datacenter, row, rack, availability zone and aggregates.');
export type Location = Static<typeof LocationSchema>;
export type LocationSwitch = Location['spec']['switches'][number];
