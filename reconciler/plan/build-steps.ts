import type { NodeTarget } from '../compile/types.js';
import type { NodeProvisioning } from './provisioning.js';
import type { PlanStep } from './types.js';

/** How long a machine may take to reach the deploy environment, and to finish installing (seconds). */
export const DEPLOY_READY_TIMEOUT_SECONDS = 900;
export const INSTALLED_TIMEOUT_SECONDS = 3600;

function ensureDhcp(facts: NodeProvisioning): PlanStep {
  return { op: 'dhcp-ensure', mac: facts.dhcp.mac, ip: facts.dhcp.ip, hostname: facts.dhcp.hostname };
}

/**
 * Installing a machine from nothing: network boot into the deploy environment, write the image, boot from
 * disk, then hand it to Puppet. Reprovisioning runs the same steps over an installed machine.
 */
export function buildInstallSteps(target: NodeTarget, facts: NodeProvisioning): PlanStep[] {
  const image = facts.image ?? { name: '', sha256: '' };
  return [
    ensureDhcp(facts),
    { op: 'boot-device', device: 'pxe', persistent: false, efi: true },
    { op: 'power', action: 'cycle' },
    { op: 'wait-state', state: 'deploy-ready', timeoutSeconds: DEPLOY_READY_TIMEOUT_SECONDS },
    { op: 'image-deploy', image: image.name, sha256: image.sha256 },
    { op: 'boot-device', device: 'disk', persistent: true, efi: true },
    { op: 'power', action: 'cycle' },
    { op: 'wait-state', state: 'installed', timeoutSeconds: INSTALLED_TIMEOUT_SECONDS },
    { op: 'enc-publish', encDigest: target.encDigest },
    { op: 'puppet-run' },
  ];
}

/** A configuration change: the new ENC, a Puppet run, and a reboot only when the change needs one. */
export function buildReconfigureSteps(target: NodeTarget, facts: NodeProvisioning | undefined, change: { dhcp: boolean; enc: boolean; reboot: boolean }): PlanStep[] {
  const steps: PlanStep[] = [];
  if (change.dhcp && facts) steps.push(ensureDhcp(facts));
  if (change.enc) steps.push({ op: 'enc-publish', encDigest: target.encDigest }, { op: 'puppet-run' });
  // Puppet writes what needs the reboot (e.g. the nouveau blacklist), so the reboot comes after it.
  if (change.reboot) steps.push({ op: 'power', action: 'cycle' });
  return steps;
}

/**
 * Retiring a machine: disks erased from the deploy environment, power off, then no more network boot entry.
 * The DHCP entry goes last because the wipe itself needs the machine to boot from the network.
 */
export function buildDecommissionSteps(mac: string): PlanStep[] {
  return [
    { op: 'boot-device', device: 'pxe', persistent: false, efi: true },
    { op: 'power', action: 'cycle' },
    { op: 'wait-state', state: 'deploy-ready', timeoutSeconds: DEPLOY_READY_TIMEOUT_SECONDS },
    { op: 'disk-wipe' },
    { op: 'power', action: 'off' },
    { op: 'dhcp-remove', mac },
  ];
}
