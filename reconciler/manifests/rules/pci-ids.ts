import type { Problem } from '../../lib/problems.js';
import type { GpuModel } from '../kinds/index.js';
import { problemAt, type ValidDocument } from '../loaded-document.js';
import type { RuleContext } from './rule-context.js';

const PCI_ID = /^[0-9a-f]{4}$/;

function checkId(document: ValidDocument<GpuModel>, field: 'vendorId' | 'productId'): Problem[] {
  const value = document.manifest.spec[field];
  if (PCI_ID.test(value)) return [];
  const hint = /^(0x)?[0-9a-fA-F]{4}$/.test(value) ? `; write \`${value.replace(/^0x/, '').toLowerCase()}\`` : '';
  return [problemAt(document, ['spec', field], 'pci-id', `${field} \`${value}\` is not a PCI id: 4 lower-case hex digits as lspci -nn shows them, e.g. 10de${hint}`)];
}

/** Rule `pci-id`: GPU ids are well-formed, and no two GpuModels claim the same device or alias. */
export function checkPciIds(context: RuleContext): Problem[] {
  const problems: Problem[] = [];
  const devices = new Map<string, ValidDocument<GpuModel>>();
  const aliases = new Map<string, ValidDocument<GpuModel>>();
  for (const document of context.ofKind('GpuModel')) {
    const ids = [...checkId(document, 'vendorId'), ...checkId(document, 'productId')];
    problems.push(...ids);
    const spec = document.manifest.spec;
    const device = `${spec.vendorId}:${spec.productId}`;
    const sameDevice = devices.get(device);
    if (ids.length === 0 && sameDevice) {
      problems.push(problemAt(document, ['spec', 'productId'], 'pci-id', `${device} is already GpuModel \`${sameDevice.name}\`; one model per PCI device`));
    } else devices.set(device, document);
    const sameAlias = aliases.get(spec.alias);
    if (sameAlias) problems.push(problemAt(document, ['spec', 'alias'], 'pci-id', `alias \`${spec.alias}\` is already used by GpuModel \`${sameAlias.name}\`; flavors could not tell them apart`));
    else aliases.set(spec.alias, document);
  }
  return problems;
}
