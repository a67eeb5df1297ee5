import type { Inventory } from '../inventory/types.js';
import type { DesiredState } from '../manifests/desired-state.js';
import type { GpuModel, Node } from '../manifests/kinds/index.js';
import type { EncValue } from './types.js';

/** Sorted-key JSON, so that the same device spec is always the same string in nova.conf and in the ENC. */
function stableJson(value: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))));
}

/** The GpuModels whose PCI ids the machine carries, sorted by name. */
export function detectGpuModels(inventory: Inventory, gpuModels: ReadonlyMap<string, GpuModel>): GpuModel[] {
  const ids = new Set(inventory.gpus.map((gpu) => `${gpu.vendorId.toLowerCase()}:${gpu.deviceId.toLowerCase()}`));
  return [...gpuModels.values()]
    .filter((model) => ids.has(`${model.spec.vendorId.toLowerCase()}:${model.spec.productId.toLowerCase()}`))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

/** Nova's `[pci] alias` entry of a GPU model. */
export function renderPciAlias(model: GpuModel): string {
  return stableJson({ device_type: model.spec.deviceType, name: model.spec.alias, product_id: model.spec.productId, vendor_id: model.spec.vendorId });
}

/** Nova's `[pci] device_spec` (passthrough whitelist) entry of a GPU model. */
export function renderPciDeviceSpec(model: GpuModel): string {
  return stableJson({ product_id: model.spec.productId, vendor_id: model.spec.vendorId });
}

/** GPU models on a compute → whitelist and aliases there, nouveau blacklisted, and a reboot for it to apply. */
export function decideGpuFacts(models: readonly GpuModel[]): Record<string, EncValue> {
  const passthrough = models.length > 0;
  return {
    gpu_passthrough: passthrough,
    blacklist_nouveau: passthrough,
    pci_passthrough_whitelist: models.map(renderPciDeviceSpec),
    node_pci_aliases: models.map(renderPciAlias),
  };
}

/** CPU model presented to instances: the Node's choice, else the profile's, else the cluster default. */
export function decideCpuFacts(desired: DesiredState, profile: string | undefined, node: Node | undefined): Record<string, EncValue> {
  const clusterCpu = desired.cluster.spec.cpu;
  const name = node?.spec.cpu?.model ?? (profile === undefined ? undefined : desired.profiles.get(profile)?.spec.cpu?.model) ?? clusterCpu?.model;
  const model = name === undefined ? undefined : desired.cpuModels.get(name);
  if (!model) return { cpu_mode: clusterCpu?.mode ?? 'host-model', cpu_model: '', cpu_model_extra_flags: [] };
  return { cpu_mode: model.spec.mode, cpu_model: model.spec.mode === 'custom' ? (model.spec.model ?? '') : '', cpu_model_extra_flags: [...(model.spec.extraFlags ?? [])] };
}

/** The NIC the machine PXE-boots from: the first with a carrier, else the first listed. */
export function chooseBootMac(inventory: Inventory): string {
  return (inventory.nics.find((nic) => nic.link !== false) ?? inventory.nics[0])?.mac ?? '';
}
