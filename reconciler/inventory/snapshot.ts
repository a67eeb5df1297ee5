import { Type, type Static } from '@sinclair/typebox';
import { InventorySchema } from './types.js';

/**
 * What the controller knows about machines, as one document: written by `plinth inventory export`, read by
 * `plinth plan --inventory`, `plinth enc --inventory` and the benchmarks, so that CI can plan without
 * reaching the controller. Allocations are included so a plan shows the addresses and hostnames a running
 * controller would keep.
 */
export const SnapshotNodeSchema = Type.Object(
  {
    id: Type.String({ description: 'Identity of the machine (see Inventory.identity).' }),
    inventory: InventorySchema,
    firstSeen: Type.String({ description: 'When the first report arrived (ISO 8601).' }),
    lastSeen: Type.String({ description: 'When the latest report arrived (ISO 8601).' }),
    state: Type.Optional(Type.String({ description: 'Lifecycle state the controller holds, e.g. `discovered`, `active`.' })),
  },
  { additionalProperties: false, description: 'One machine known from its reports.' },
);

export const AllocationSchema = Type.Object(
  {
    network: Type.String({ description: 'Network name.' }),
    address: Type.String({ description: 'Allocated address.' }),
    nodeId: Type.String({ description: 'Identity of the machine holding it.' }),
    releasedAt: Type.Optional(Type.String({ description: 'When it was released (still reserved during the grace period).' })),
  },
  { additionalProperties: false, description: 'An address held by a machine.' },
);

export const HostnameAssignmentSchema = Type.Object(
  {
    nodeId: Type.String({ description: 'Identity of the machine.' }),
    role: Type.String({ description: 'Role whose index sequence the number comes from.' }),
    index: Type.Integer({ minimum: 1, description: 'Index in `{n}`; never reused within a role.' }),
    hostname: Type.String({ description: 'The fully qualified hostname given.' }),
  },
  { additionalProperties: false, description: 'A hostname held by a machine.' },
);

export const InventorySnapshotSchema = Type.Object(
  {
    version: Type.Literal(1, { description: 'Format version.' }),
    exportedAt: Type.String({ description: 'When the snapshot was written (ISO 8601).' }),
    nodes: Type.Array(SnapshotNodeSchema, { description: 'Known machines, sorted by id.' }),
    allocations: Type.Array(AllocationSchema, { description: 'Address allocations, sorted by network then address.' }),
    hostnames: Type.Array(HostnameAssignmentSchema, { description: 'Hostname assignments, sorted by role then index.' }),
    /** Highest index ever used per role, so retired indices are never handed out again. */
    hostnameHighWater: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'Role → highest index ever used.' }),
  },
  { $id: 'https://plinth.dev/schemas/inventory-snapshot.json', title: 'InventorySnapshot', additionalProperties: false, description: 'A point-in-time export of the inventory and allocations.' },
);

export type SnapshotNode = Static<typeof SnapshotNodeSchema>;
export type Allocation = Static<typeof AllocationSchema>;
export type HostnameAssignment = Static<typeof HostnameAssignmentSchema>;
export type InventorySnapshot = Static<typeof InventorySnapshotSchema>;
