import { Type, type Static } from '@sinclair/typebox';
import { manifestSchema, strictObject } from './common.js';

export const GpuModelSpecSchema = strictObject(
  {
    vendorId: Type.String({ description: 'PCI vendor id: 4 lower-case hex digits, e.g. `10de` for NVIDIA.' }),
    productId: Type.String({ description: 'PCI device id: 4 lower-case hex digits, e.g. `20b5` for the A100 PCIe 80GB.' }),
    deviceType: Type.Union([Type.Literal('type-PCI'), Type.Literal('type-PF'), Type.Literal('type-VF')], {
      description: 'Nova PCI device type: a plain device, an SR-IOV physical function, or a virtual function.',
    }),
    alias: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$', description: 'Nova PCI alias that flavors request (`pci_passthrough:alias`).' }),
  },
  'A GPU model passed through to instances.',
);

export const GpuModelSchema = manifestSchema('GpuModel', 'gpu-model', GpuModelSpecSchema, 'A GPU model by PCI id, with the Nova alias flavors use.');
export type GpuModel = Static<typeof GpuModelSchema>;
