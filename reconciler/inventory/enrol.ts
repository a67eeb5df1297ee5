import type { ConflictReason, EnrolledNode, IngestContext, IngestDecision, NodeClaim } from '../store/types.js';
import { toMacKey } from '../lib/mac-address.js';
import { diffHardware } from './hardware-changes.js';
import { isPlaceholder } from './identity.js';
import type { Inventory } from './types.js';

/**
 * Enrolment rules: what a hardware report may do to the nodes plinth already knows. A report either
 * enrols a new machine, refreshes the node it really is, or is refused as a conflict; a conflicting report
 * never modifies an enrolled node, because a machine claiming another's identity (a swapped board, a
 * cloned serial, a hostile report) must be looked at by an operator, not absorbed.
 */

/** The identity facts of a report, as the store indexes them. */
export function claimFromInventory(inventory: Inventory): NodeClaim {
  const serials = [inventory.chassis.serialNumber, inventory.system.serialNumber, inventory.baseboard.serialNumber];
  const serial = serials.map((value) => value.trim()).find((value) => !isPlaceholder(value));
  const uuid = inventory.system.uuid.trim().toLowerCase();
  const macs = [...new Set(inventory.nics.map((nic) => toMacKey(nic.mac)).filter((mac) => !isPlaceholder(mac)))].sort();
  const claim: NodeClaim = { id: inventory.identity.id, identitySource: inventory.identity.source, macs };
  if (serial) claim.serial = serial;
  if (!isPlaceholder(uuid)) claim.systemUuid = uuid;
  if (inventory.bmc.address) claim.bmcAddress = inventory.bmc.address;
  if (inventory.bmc.mac && !isPlaceholder(inventory.bmc.mac)) claim.bmcMac = toMacKey(inventory.bmc.mac);
  return claim;
}

function conflict(reason: ConflictReason, message: string, nodes: readonly EnrolledNode[]): IngestDecision {
  return { kind: 'conflict', reason, message, nodeIds: nodes.map((node) => node.id) };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  return left.size === new Set(b).size && b.every((item) => left.has(item));
}

/** Finds the first rule the claim breaks against enrolled nodes, if any. */
function findConflict(claim: NodeClaim, context: IngestContext<Inventory>): IngestDecision | undefined {
  const { claimed, macOwners, bmcOwners } = context;
  if (macOwners.length > 0) {
    const taken = claim.macs.filter((mac) => macOwners.some((node) => node.macs.includes(mac)));
    return conflict(
      'mac-enrolled-elsewhere',
      `report for ${claim.id} claims MAC ${taken.join(', ')} already enrolled under node ${macOwners.map((node) => node.id).join(', ')}`,
      macOwners,
    );
  }
  if (bmcOwners.length > 0) {
    return conflict(
      'bmc-enrolled-elsewhere',
      `report for ${claim.id} claims BMC MAC ${claim.bmcMac ?? ''} already enrolled under node ${bmcOwners.map((node) => node.id).join(', ')}`,
      bmcOwners,
    );
  }
  if (!claimed) return undefined;
  if (!sameSet(claimed.macs, claim.macs)) {
    return conflict(
      'mac-mismatch',
      `report claims enrolled node ${claimed.id} but its MACs [${claim.macs.join(', ')}] differ from the enrolled [${claimed.macs.join(', ')}]`,
      [claimed],
    );
  }
  // A report without a BMC section (ipmitool missing) makes no BMC claim; a different BMC MAC does.
  if (claim.bmcMac && claimed.bmcMac && claim.bmcMac !== claimed.bmcMac) {
    return conflict(
      'bmc-mismatch',
      `report claims enrolled node ${claimed.id} but its BMC MAC ${claim.bmcMac} differs from the enrolled ${claimed.bmcMac}`,
      [claimed],
    );
  }
  return undefined;
}

/**
 * Decides what a report does, from what the store holds for its identity (pure; runs inside the ingest
 * transaction). `reported` is the report's inventory, or a function that reads it: an enrolment never needs it.
 *
 * @example decideEnrolment(claimFromInventory(inventory), { macOwners: [], bmcOwners: [] }) // { kind: 'enrol' }
 */
export function decideEnrolment(claim: NodeClaim, context: IngestContext<Inventory>, reported: Inventory | (() => Inventory)): IngestDecision {
  const refused = findConflict(claim, context);
  if (refused) return refused;
  if (!context.claimed) return { kind: 'enrol' };
  // Only a known node's report is compared with what it reported before: read the inventory then, not sooner.
  const inventory = typeof reported === 'function' ? reported() : reported;
  // The installed system reports that it booted from disk, with whatever tools its image carries: a sign of
  // life, not a hardware inventory, so it is never compared with what the live system saw.
  if (inventory.os !== undefined) return { kind: 'refresh', changes: [] };
  return { kind: 'refresh', changes: context.previousInventory ? diffHardware(context.previousInventory, inventory) : [] };
}
