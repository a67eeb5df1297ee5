import type { BmcDriver, BmcTarget } from '../drivers/bmc/types.js';
import type { DhcpDriver } from '../drivers/dhcp/types.js';
import { PlinthError } from '../lib/errors.js';
import type { PlanStep } from '../plan/types.js';
import type { ApplyNode, StepContext, StepExecutor, StepOutcome } from './types.js';

/** Which system a machine runs, as its reports tell: the live (deploy) system, or the installed one booted from disk. */
export type ReportedState = 'deploy-ready' | 'installed';

/** News about a machine that only the machine can give (a report from the system it booted). */
export interface NodeSignals {
  /**
   * Resolves once the node has reported after `since` from the system `state` names; rejects with
   * APPLY_WAIT_TIMEOUT after `timeoutMs`.
   */
  waitForState(nodeId: string, state: ReportedState, since: string, timeoutMs: number, signal: AbortSignal): Promise<{ receivedAt: string; image?: string }>;
}

/** The drivers apply runs steps through; a kind left out makes its steps succeed as "skipped", saying why. */
export interface StepDrivers {
  bmc?: BmcDriver;
  dhcp?: DhcpDriver;
  /** Writes the node's ENC where Puppet reads it (atomically). */
  publishEnc?: (certname: string, encYaml: string) => Promise<{ changed: boolean; digest: string }>;
  /** Runs Puppet on the node and reads its outcome. */
  runPuppet?: (node: ApplyNode, signal: AbortSignal) => Promise<{ state: 'active' | 'failed'; reason: string }>;
  /** Writes the image to the node's disk from the deploy environment. */
  deployImage?: (step: Extract<PlanStep, { op: 'image-deploy' }>, context: StepContext) => Promise<Record<string, unknown>>;
  /** Erases the node's disks from the deploy environment. */
  wipeDisks?: (context: StepContext) => Promise<Record<string, unknown>>;
  signals?: NodeSignals;
}

const skip = (what: string): StepOutcome => ({ skipped: `no ${what} configured` });

async function bmcTarget(node: ApplyNode): Promise<BmcTarget> {
  if (!node.bmc) throw new PlinthError('APPLY_NO_BMC', `node ${node.hostname} has no BMC in its Node manifest`, { details: { nodeId: node.nodeId } });
  return { address: node.bmc.address, credentials: { username: node.bmc.username, password: await node.bmc.password() } };
}

async function runBmcStep(bmc: BmcDriver, step: Extract<PlanStep, { op: 'boot-device' | 'power' }>, context: StepContext): Promise<StepOutcome> {
  const target = await bmcTarget(context.node);
  if (step.op === 'boot-device') {
    const result = await bmc.ensureBootDevice(target, step.device, { persistent: step.persistent, efi: step.efi, signal: context.signal });
    return { detail: { changed: result.changed, device: step.device } };
  }
  const result = await bmc.ensurePower(target, step.action, { signal: context.signal });
  return { detail: { changed: result.changed, power: step.action } };
}

async function waitState(drivers: StepDrivers, step: Extract<PlanStep, { op: 'wait-state' }>, context: StepContext): Promise<StepOutcome> {
  // With no image written, no installed system will ever report: waiting for one would only time out.
  if (step.state === 'installed' && !drivers.deployImage) return skip('image driver');
  if (!drivers.signals) return skip('report source');
  const report = await drivers.signals.waitForState(context.node.nodeId, step.state, context.since, step.timeoutSeconds * 1000, context.signal);
  return { detail: { reportedAt: report.receivedAt, ...(report.image ? { image: report.image } : {}) } };
}

/**
 * The step executor apply uses in production: each op through its driver. Example:
 * `const execute = createStepExecutor({ bmc, dhcp, publishEnc, signals })`.
 */
export function createStepExecutor(drivers: StepDrivers): StepExecutor {
  return async (step, context) => {
    const { node, signal } = context;
    switch (step.op) {
      case 'dhcp-ensure':
        if (!drivers.dhcp) return skip('DHCP driver');
        return { detail: { changed: (await drivers.dhcp.ensureHost({ mac: step.mac, ip: step.ip, hostname: step.hostname })).changed } };
      case 'dhcp-remove':
        if (!drivers.dhcp) return skip('DHCP driver');
        return { detail: { changed: (await drivers.dhcp.removeHost(step.mac)).changed } };
      case 'boot-device':
      case 'power':
        return drivers.bmc ? runBmcStep(drivers.bmc, step, context) : skip('BMC driver');
      case 'wait-state':
        return waitState(drivers, step, context);
      case 'image-deploy':
        return drivers.deployImage ? { detail: await drivers.deployImage(step, context) } : skip('image driver');
      case 'disk-wipe':
        return drivers.wipeDisks ? { detail: await drivers.wipeDisks(context) } : skip('image driver');
      case 'enc-publish':
        return publishEnc(drivers, node);
      case 'puppet-run':
        return runPuppet(drivers, node, signal);
    }
  };
}

async function publishEnc(drivers: StepDrivers, node: ApplyNode): Promise<StepOutcome> {
  if (!drivers.publishEnc) return skip('ENC directory');
  if (node.encYaml === undefined) throw new PlinthError('APPLY_NO_ENC', `node ${node.hostname} has no compiled ENC`, { details: { nodeId: node.nodeId } });
  const published = await drivers.publishEnc(node.hostname, node.encYaml);
  return { detail: { changed: published.changed, digest: published.digest } };
}

async function runPuppet(drivers: StepDrivers, node: ApplyNode, signal: AbortSignal): Promise<StepOutcome> {
  if (!drivers.runPuppet) return skip('Puppet driver');
  const result = await drivers.runPuppet(node, signal);
  if (result.state === 'failed') throw new PlinthError('PUPPET_RUN', `Puppet run failed on ${node.hostname}: ${result.reason}`, { details: { nodeId: node.nodeId } });
  return { detail: { puppet: result.state } };
}
