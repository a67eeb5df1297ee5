import { Type, type Static } from '@sinclair/typebox';
import { manifestSchema, strictObject } from './common.js';

export const CpuModelSpecSchema = strictObject(
  {
    mode: Type.Union([Type.Literal('host-passthrough'), Type.Literal('host-model'), Type.Literal('custom')], {
      description: 'Nova `cpu_mode`.',
    }),
    model: Type.Optional(Type.String({ minLength: 1, description: 'Libvirt CPU model, e.g. `EPYC-Rome`; required with mode `custom`.' })),
    extraFlags: Type.Optional(
      Type.Array(Type.String({ pattern: '^[+-]?[a-z0-9_.-]+$' }), { description: 'CPU flags added (`+flag` or `flag`) or removed (`-flag`).' }),
    ),
  },
  'A CPU model presented to instances.',
);

export const CpuModelSchema = manifestSchema('CpuModel', 'cpu-model', CpuModelSpecSchema, 'The CPU model Nova presents to instances.');
export type CpuModel = Static<typeof CpuModelSchema>;
