import { describe, expect, it } from '@jest/globals';
import type { Cluster } from '../manifests/kinds/index.js';
import { findSwiftEndpoint, ruleDatabases, ruleMessaging, ruleStorageBackends, type RoleMembers } from './composition-rules.js';

const cluster = (spec: Partial<Cluster['spec']> = {}): Cluster =>
  ({ apiVersion: 'plinth/v1', kind: 'Cluster', metadata: { name: 'c1' }, spec: { domain: 'c1.example.net', release: '2024.1', osSuite: 'bookworm', availabilityZones: [{ name: 'az-1' }], ...spec } }) as Cluster;
const members = (entries: Record<string, string[]>): RoleMembers => new Map(Object.entries(entries));
const controllers = ['ctl-1', 'ctl-2'];

describe('composition rules', () => {
  it('moves the databases to SQL nodes when there are some', () => {
    expect(ruleDatabases(members({ controller: controllers })).facts).toEqual({ databases_on_controllers: true, database_hosts: controllers });
    expect(ruleDatabases(members({ controller: controllers, sql: ['sql-1'] })).facts).toEqual({ databases_on_controllers: false, database_hosts: ['sql-1'] });
  });

  it('keeps telemetry on the controllers until messaging nodes exist', () => {
    expect(ruleMessaging(members({ controller: controllers })).facts).toEqual({ telemetry_on_controllers: true, messaging_hosts: controllers });
    expect(ruleMessaging(members({ controller: controllers, messaging: ['mq-1'] })).facts).toEqual({ telemetry_on_controllers: false, messaging_hosts: ['mq-1'] });
  });

  it('finds Swift in this cluster first, then in a linked cluster', () => {
    const linked = cluster({ linkedClusters: [{ name: 's1', purpose: 'swift', endpoint: 'https://swift.example.net/v1' }] });

    expect(findSwiftEndpoint(linked, members({ swiftproxy: ['p-1'] }), 'api.c1.example.net')).toBe('https://api.c1.example.net:8080/v1');
    expect(findSwiftEndpoint(linked, members({}), 'api.c1.example.net')).toBe('https://swift.example.net/v1');
    expect(findSwiftEndpoint(cluster(), members({}), 'api.c1.example.net')).toBe('');
  });

  it('follows the back-end preference when the composition can serve it', () => {
    const outcome = ruleStorageBackends(cluster({ backends: { glance: 'swift', cinderBackup: 'swift' } }), members({ cephosd: ['osd-1'] }), 'https://swift.example.net/v1');

    expect(outcome.facts).toMatchObject({ glance_backend: 'swift', cinder_backup_backend: 'swift' });
    expect(outcome.problems).toEqual([]);
  });

  it('picks Ceph, then Swift, then files for `auto`, and warns when a preference cannot be served', () => {
    const auto = ruleStorageBackends(cluster(), members({}), 'https://swift.example.net/v1');
    const unserved = ruleStorageBackends(cluster({ backends: { glance: 'ceph', cinderBackup: 'swift' } }), members({}), '');

    expect(auto.facts).toMatchObject({ glance_backend: 'swift', cinder_backup_backend: 'swift' });
    expect(unserved.facts).toMatchObject({ glance_backend: 'file', cinder_backup_backend: 'none' });
    expect(unserved.problems.map((problem) => [problem.code, problem.severity])).toEqual([['backend-unavailable', 'warning'], ['backend-unavailable', 'warning']]);
  });
});
