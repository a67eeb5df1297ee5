import type { LldpNeighbour } from '../../inventory/types.js';
import { isObject, readObjects, readString, type JsonObject } from './json-access.js';

/**
 * Reads the switch neighbour of each interface from `lldpctl -f json`. lldpd prints an object keyed by
 * interface name when there is one neighbour and an array of such objects when there are several; the
 * chassis is keyed by the switch's system name when it sends one.
 */
export function parseLldp(json: unknown): Map<string, LldpNeighbour> {
  const neighbours = new Map<string, LldpNeighbour>();
  const lldp = isObject(json) ? json.lldp : undefined;
  const interfaces = isObject(lldp) ? lldp.interface : undefined;
  const groups = Array.isArray(interfaces) ? readObjects(interfaces) : isObject(interfaces) ? [interfaces] : [];
  for (const group of groups) {
    for (const [name, body] of Object.entries(group)) {
      if (!isObject(body) || neighbours.has(name)) continue;
      const neighbour = toNeighbour(body);
      if (neighbour) neighbours.set(name, neighbour);
    }
  }
  return neighbours;
}

function readSwitchName(chassis: unknown): string | undefined {
  if (!isObject(chassis)) return undefined;
  const name = readString(chassis, 'name');
  if (name !== undefined) return name;
  // { "<system name>": { id, descr, ... } } — the only key that is not a chassis attribute is the name.
  const keys = Object.keys(chassis).filter((key) => isObject(chassis[key]) && key !== 'id' && key !== 'capability');
  return keys[0];
}

function readValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isObject(value) ? readString(value, 'value') : undefined;
}

function toNeighbour(body: JsonObject): LldpNeighbour | undefined {
  const switchName = readSwitchName(body.chassis);
  const port = isObject(body.port) ? body.port : undefined;
  const portId = port ? readValue(port.id) : undefined;
  if (switchName === undefined || portId === undefined || !port) return undefined;
  const neighbour: LldpNeighbour = { switchName, portId };
  const description = readValue(port.descr);
  if (description !== undefined) neighbour.portDescription = description;
  return neighbour;
}
