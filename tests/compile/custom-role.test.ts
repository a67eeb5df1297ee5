import { describe, expect, it } from '@jest/globals';
import { compile } from '../../reconciler/compile/compile.js';
import { classifyNodes } from '../../reconciler/inventory/classify-nodes.js';
import type { Role } from '../../reconciler/manifests/kinds/index.js';
import { buildExampleSnapshot, loadExampleDesired } from '../support/example-inventory.js';

const bastion = {
  apiVersion: 'plinth/v1',
  kind: 'Role',
  metadata: { name: 'bastion' },
  spec: {
    description: 'SSH jump host of the operators.',
    installWave: 60,
    puppetClass: 'site::bastion',
    networks: ['management', 'public'],
    parameters: {
      hostname: { type: 'string', description: 'FQDN.', from: 'hostname' },
      controllers: { type: 'array', description: 'Hosts operators jump to.', from: 'controller_hosts' },
      banner: { type: 'string', description: 'Login banner.', default: 'authorised use only' },
    },
  },
} as Role;

describe('a custom role declared as data', () => {
  it('gets its class, networks and fact-fed parameters without any code of its own', async () => {
    const example = await loadExampleDesired();
    const desired = { ...example, roles: new Map([...example.roles, ['bastion', bastion]]) };
    const snapshot = buildExampleSnapshot();
    // The swift proxy machine, as if its profile said `role: bastion`.
    const classifications = classifyNodes(desired, snapshot.nodes).map((entry) => (entry.nodeId === 'PRX0001' ? { ...entry, role: 'bastion' } : entry));

    const result = compile({ desired, classifications, snapshot });

    const target = result.targets.find((entry) => entry.nodeId === 'PRX0001');
    expect(result.problems).toEqual([]);
    expect(target?.hostname).toBe('pub1-bastion-1.pub1.example.net');
    expect(Object.keys(target?.addresses ?? {}).sort()).toEqual(['management', 'public']);
    expect(target?.enc.classes).toEqual({
      'site::bastion': {
        hostname: 'pub1-bastion-1.pub1.example.net',
        controllers: ['pub1-controller-1.pub1.example.net', 'pub1-controller-2.pub1.example.net', 'pub1-controller-3.pub1.example.net'],
        banner: 'authorised use only',
      },
    });
    expect(target?.enc.parameters.plinth_topology).not.toHaveProperty('bastion');
  });
});
