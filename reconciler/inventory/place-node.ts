import type { Location, LocationSwitch } from '../manifests/kinds/location.js';
import type { Placement, PlacementStatus } from './classification.js';
import { compilePattern } from './compile-pattern.js';
import { compareText } from './match-profile.js';
import type { Inventory, InventoryNic } from './types.js';

export interface PlacementResult {
  status: PlacementStatus;
  /** One sentence an operator can act on. */
  reason: string;
  placement?: Placement;
}

interface SwitchEntry {
  location: string;
  entry: LocationSwitch;
}

/** A NIC whose neighbour was found in a Location, with the placement that gives. */
interface PlacedNic {
  nic: string;
  placement: Placement;
  port: string;
}

/** Fills `{group}` with the pattern's named groups; a placeholder without a group is left as written. */
function fillPlaceholders(value: string, groups: Readonly<Record<string, string | undefined>>): string {
  return value.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => groups[name] ?? whole);
}

function buildPlacement(found: SwitchEntry, switchName: string, port: string, groups: Readonly<Record<string, string | undefined>>): Placement {
  const { entry } = found;
  const placement: Placement = {
    availabilityZone: fillPlaceholders(entry.availabilityZone, groups),
    aggregates: [...(entry.aggregates ?? [])],
    location: found.location,
    switchName,
  };
  if (entry.datacenter !== undefined) placement.datacenter = fillPlaceholders(entry.datacenter, groups);
  if (entry.row !== undefined) placement.row = fillPlaceholders(entry.row, groups);
  if (entry.rack !== undefined) placement.rack = fillPlaceholders(entry.rack, groups);
  const unit = entry.ports?.[port];
  if (unit !== undefined) placement.rackUnit = unit;
  return placement;
}

function listSwitchEntries(locations: ReadonlyMap<string, Location>): SwitchEntry[] {
  return [...locations.values()]
    .sort((a, b) => compareText(a.metadata.name, b.metadata.name))
    .flatMap((location) => location.spec.switches.map((entry) => ({ location: location.metadata.name, entry })));
}

/** An exact name wins over any pattern (as OCI places by exact name); patterns are tried in Location-name order. */
function findSwitch(entries: readonly SwitchEntry[], switchName: string, port: string): Placement | undefined {
  const exact = entries.find(({ entry }) => 'name' in entry && entry.name === switchName);
  if (exact) return buildPlacement(exact, switchName, port, {});
  for (const candidate of entries) {
    if (!('pattern' in candidate.entry) || candidate.entry.pattern === undefined) continue;
    // An invalid pattern places nothing; validation reports it.
    const match = compilePattern(candidate.entry.pattern)?.exec(switchName);
    if (match) return buildPlacement(candidate, switchName, port, match.groups ?? {});
  }
  return undefined;
}

/** What makes two placements different racks: the rack with its row and datacenter, else the zone. */
function rackKey(placement: Placement): string {
  const parts = [placement.datacenter, placement.row, placement.rack];
  return parts.every((part) => part === undefined) ? `zone ${placement.availabilityZone}` : parts.map((part) => part ?? '?').join('/');
}

export function describePlacement(placement: Placement): string {
  const parts = [
    placement.datacenter === undefined ? undefined : `datacenter ${placement.datacenter}`,
    placement.row === undefined ? undefined : `row ${placement.row}`,
    placement.rack === undefined ? undefined : `rack ${placement.rack}`,
    placement.rackUnit === undefined ? undefined : `unit ${placement.rackUnit}`,
    `availability zone ${placement.availabilityZone}`,
    placement.aggregates.length > 0 ? `aggregates ${placement.aggregates.join(', ')}` : undefined,
  ];
  return parts.filter((part) => part !== undefined).join(', ');
}

/** When a Node pins a Location, the placement is what all of its switch entries agree on. */
function placePinned(location: Location | undefined, name: string, fromLldp: PlacementResult): PlacementResult {
  if (!location) return { status: 'pinned', reason: `pinned to Location ${name}, which is not declared` };
  const lldp = fromLldp.placement;
  if (lldp && lldp.location === name) {
    return { status: 'pinned', reason: `pinned to Location ${name}; LLDP agrees (${fromLldp.reason})`, placement: lldp };
  }
  // A value with a placeholder depends on the switch name, which a pin without LLDP does not give.
  const shared = (field: 'datacenter' | 'row' | 'rack' | 'availabilityZone'): string | undefined => {
    const values = new Set(location.spec.switches.map((entry) => entry[field]));
    const [only] = values;
    return values.size === 1 && only !== undefined && !only.includes('{') ? only : undefined;
  };
  const zone = shared('availabilityZone');
  const disagreement = lldp ? `; LLDP would place it in ${lldp.location} (switch ${lldp.switchName}) but the pin wins` : '';
  if (zone === undefined) {
    return { status: 'pinned', reason: `pinned to Location ${name}, whose switches do not share one availability zone${disagreement}` };
  }
  const placement: Placement = { availabilityZone: zone, aggregates: [], location: name, switchName: '' };
  for (const field of ['datacenter', 'row', 'rack'] as const) {
    const value = shared(field);
    if (value !== undefined) placement[field] = value;
  }
  return { status: 'pinned', reason: `pinned to Location ${name} by its Node manifest${disagreement}`, placement };
}

function placeFromNics(nics: readonly InventoryNic[], entries: readonly SwitchEntry[]): PlacementResult {
  const cabled = [...nics].filter((nic) => nic.lldp !== undefined).sort((a, b) => compareText(a.name, b.name));
  if (cabled.length === 0) return { status: 'no-lldp', reason: 'no NIC reported an LLDP neighbour, so the switch is unknown; pin a location in a Node manifest or enable LLDP on the switch' };
  const placed: PlacedNic[] = [];
  const unknown: string[] = [];
  for (const nic of cabled) {
    const { switchName, portId } = nic.lldp ?? { switchName: '', portId: '' };
    const placement = findSwitch(entries, switchName, portId);
    if (placement) placed.push({ nic: nic.name, placement, port: portId });
    else unknown.push(`${switchName} (on ${nic.name})`);
  }
  const first = placed[0];
  if (!first) return { status: 'unknown-switch', reason: `no Location lists switch ${unknown.join(', ')}` };
  const racks = new Map<string, PlacedNic>();
  for (const nic of placed) if (!racks.has(rackKey(nic.placement))) racks.set(rackKey(nic.placement), nic);
  if (racks.size > 1) {
    const seen = [...racks].map(([rack, nic]) => `${rack} via ${nic.placement.switchName} on ${nic.nic}`);
    return { status: 'conflicting-racks', reason: `NICs are cabled to switches in different racks: ${seen.join('; ')}` };
  }
  // Any NIC whose port is in the Location's port map gives the rack unit.
  const unit = placed.find((nic) => nic.placement.rackUnit !== undefined)?.placement.rackUnit;
  const placement: Placement = unit === undefined ? first.placement : { ...first.placement, rackUnit: unit };
  const ignored = unknown.length > 0 ? `; switch ${unknown.join(', ')} is in no Location` : '';
  return { status: 'placed', reason: `switch ${first.placement.switchName} port ${first.port} (on ${first.nic}) is in Location ${placement.location}${ignored}`, placement };
}

/**
 * Places a machine from the LLDP neighbours of its NICs, or from the Location its Node manifest pins.
 * Pure. Example: `placeNode(inventory, desired.locations).placement?.availabilityZone`.
 */
export function placeNode(inventory: Inventory, locations: ReadonlyMap<string, Location>, pinnedLocation?: string): PlacementResult {
  const fromLldp = placeFromNics(inventory.nics, listSwitchEntries(locations));
  if (pinnedLocation === undefined) return fromLldp;
  return placePinned(locations.get(pinnedLocation), pinnedLocation, fromLldp);
}
