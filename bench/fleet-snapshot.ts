import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseReport } from '../reconciler/discovery/normalise.js';
import { buildSnapshot } from '../reconciler/inventory/build-snapshot.js';
import type { InventorySnapshot } from '../reconciler/inventory/snapshot.js';
import type { Inventory } from '../reconciler/inventory/types.js';
import type { DesiredState } from '../reconciler/manifests/desired-state.js';
import type { Node } from '../reconciler/manifests/kinds/index.js';

const A100 = { address: '0000:42:00.0', vendorId: '10de', deviceId: '20b5', class: '0302', className: '3D controller', description: 'NVIDIA Corporation GA100 [A100 PCIe 80GB]' };

/** One machine per Node manifest: a real R7525 dump with the serial, MACs, LLDP and GPUs the manifest implies. */
function buildInventory(model: Inventory, node: Node, rack: string): Inventory {
  const inventory = structuredClone(model);
  const serial = node.spec.serial ?? node.metadata.name;
  Object.assign(inventory.system, { serialNumber: serial });
  inventory.chassis.serialNumber = serial;
  inventory.identity = { id: serial, source: 'chassis-serial', placeholdersSkipped: [] };
  inventory.nics = [{ name: 'eno1', mac: node.spec.mac ?? '', speedMbps: 25000, link: true, lldp: { switchName: `dc1-${rack}-tor1`, portId: 'Ethernet1/1' } }];
  inventory.gpus = node.spec.profile === 'compute-gpu' ? [A100, A100] : [];
  return inventory;
}

/** The inventory snapshot of the machines a generated repository (bench/generate-repo.ts) pins. */
export function buildFleetSnapshot(desired: DesiredState): InventorySnapshot {
  const dir = 'tests/fixtures/hardware/dell/poweredge-r7525/ED52A1D54F9D';
  const model = normaliseReport({ version: 1, agent: { version: 'bench' }, collectedAt: '2026-01-01T00:00:00Z', sections: { dmidecode: readFileSync(join(dir, 'dmidecode.txt'), 'utf8') } }).inventory;
  const entries = [...desired.nodes.values()].map((node) => {
    const rack = `r${String(node.spec.settings?.rack_hint ?? 'r0').slice(1).padStart(3, '0')}`;
    return { inventory: buildInventory(model, node, rack) };
  });
  return buildSnapshot(entries, '2026-01-01T00:00:00Z');
}
