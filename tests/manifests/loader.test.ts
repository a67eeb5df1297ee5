import { describe, expect, it } from '@jest/globals';
import { BASE_FILES, edit, positionOf, problemsOf, validateFiles } from './fixture-repo.js';
import { runRuleCases, type RuleCase } from './rule-cases.js';

const cases: RuleCase[] = [
  {
    title: 'an unknown field, reported at its key with the allowed ones',
    rule: 'schema',
    failing: edit('nodes.yaml', 'hostname: lab-compute-1', 'hostnme: lab-compute-1'),
    at: { file: 'nodes.yaml', needle: 'hostnme' },
    message: /^unknown field `hostnme`; allowed here: serial, mac, hostname,/,
    passing: edit('nodes.yaml', '  hostname: lab-compute-1\n', ''),
  },
  {
    title: 'a missing required field, reported on the mapping that lacks it',
    rule: 'schema',
    failing: edit('nodes.yaml', '    username: admin\n', ''),
    at: { file: 'nodes.yaml', needle: 'address: ipmi' },
    message: /^missing required field `username`/,
    passing: edit('nodes.yaml', 'username: admin', 'username: root'),
  },
  {
    title: 'a secret reference of no known form, explained by the union',
    rule: 'schema',
    failing: edit('nodes.yaml', '{ env: BMC_PASSWORD }', '{ vault: bmc }'),
    at: { file: 'nodes.yaml', needle: '{ vault' },
    message: /^does not fit: Where a secret is read from\. .*give `\{ env \}`, `\{ file \}` or `\{ store \}`/,
    passing: edit('nodes.yaml', '{ env: BMC_PASSWORD }', '{ store: bmc/gpu-1 }'),
  },
  {
    title: 'a value outside an enumeration',
    rule: 'schema',
    failing: edit('networks.yaml', 'purpose: ipmi', 'purpose: bmc'),
    at: { file: 'networks.yaml', needle: 'bmc' },
    message: /^must be one of: management, ipmi, provisioning/,
    passing: edit('networks.yaml', 'purpose: ipmi', 'purpose: other'),
  },
  {
    title: 'a BMC address that is not a BMC URL',
    rule: 'schema',
    failing: edit('nodes.yaml', 'ipmi://10.20.0.11:623', 'http://10.20.0.11'),
    at: { file: 'nodes.yaml', needle: 'http://' },
    message: /must match pattern .*BMC URL/,
    passing: edit('nodes.yaml', 'ipmi://10.20.0.11:623', 'redfish+https://10.20.0.11/redfish/v1'),
  },
  {
    title: 'a number where a string is expected, with the fix',
    rule: 'schema',
    failing: edit('cluster.yaml', 'release: "2024.1"', 'release: 2024.1'),
    at: { file: 'cluster.yaml', needle: '2024.1' },
    message: /^must be a string; quote the value \("2024\.1"\)/,
    passing: edit('cluster.yaml', 'release: "2024.1"', 'release: caracal'),
  },
  {
    title: 'an array item fitting no form of its union equally, while its sibling is fine',
    rule: 'schema',
    failing: edit('location.yaml', '    - pattern:', '    - name: b-tor\n      pattern:'),
    at: { file: 'location.yaml', needle: 'name: b-tor' },
    message: /^does not fit: A switch given by its exact `name` or by a `pattern`, not both/,
    passing: edit('location.yaml', '    - name: a01-tor1\n', '    - name: a01-tor1\n      ports: { "Ethernet1/1": 1 }\n'),
  },
  {
    title: 'a password in clear text',
    rule: 'plain-text-secret',
    failing: edit('nodes.yaml', 'passwordFrom: { env: BMC_PASSWORD }', 'password: hunter2'),
    at: { file: 'nodes.yaml', needle: 'password: hunter2' },
    message: /^`password` holds a secret in clear text; .*passwordFrom: \{ env: BMC_PASSWORD \}/,
    passing: edit('nodes.yaml', 'passwordFrom: { env: BMC_PASSWORD }', 'passwordFrom: { file: /etc/plinth/bmc-password }'),
  },
  {
    title: 'a token in clear text in free settings',
    rule: 'plain-text-secret',
    failing: edit('hardware.yaml', '  role: compute\n', '  role: compute\n  settings: { monitoring_api_token: abc123 }\n'),
    at: { file: 'hardware.yaml', needle: 'monitoring_api_token' },
    message: /^`monitoring_api_token` holds a secret in clear text/,
    passing: edit('hardware.yaml', '  role: compute\n', '  role: compute\n  settings: { monitoring_enabled: true }\n'),
  },
  {
    title: 'a key repeated in one mapping',
    rule: 'duplicate-key',
    failing: edit('nodes.yaml', '  serial: SN001\n', '  serial: SN001\n  serial: SN002\n'),
    at: { file: 'nodes.yaml', needle: 'serial: SN002' },
    message: /^duplicate key `serial`/,
    passing: edit('nodes.yaml', '  serial: SN001\n', '  serial: "SN001"\n'),
  },
  {
    title: 'a document that is a list instead of a mapping',
    rule: 'not-a-manifest',
    failing: { 'extra.yaml': '# a stray file\n- apiVersion: plinth/v1\n' },
    at: { file: 'extra.yaml', needle: '- apiVersion' },
    message: /^a manifest must be a mapping with apiVersion, kind, metadata and spec/,
    passing: { 'extra.yaml': '# a stray file, commented out\n# - apiVersion: plinth/v1\n' },
  },
  {
    title: 'an unknown kind',
    rule: 'unknown-kind',
    failing: edit('nodes.yaml', 'kind: Node', 'kind: Nodes'),
    at: { file: 'nodes.yaml', needle: 'Nodes' },
    message: /^unknown kind `Nodes`; expected one of Cluster, Network/,
    passing: edit('nodes.yaml', 'metadata: { name: gpu-1 }', 'metadata: { name: gpu-1, labels: { rack: a01 } }'),
  },
];

runRuleCases('loader and schema rules', cases);

describe('loader', () => {
  it('locates a YAML syntax error and still checks the other files', () => {
    const broken = 'apiVersion: plinth/v1\nkind: Node\nmetadata: { name: x\nspec: {}\n';
    const result = validateFiles({ 'broken.yaml': broken, ...edit('nodes.yaml', 'profile: gpu', 'profile: nope') });
    // The flow mapping opened on line 3 is still open where line 4 starts at column 1.
    expect(problemsOf(result, 'yaml-syntax')[0]).toMatchObject({ file: 'broken.yaml', line: 4, col: 1 });
    expect(problemsOf(result, 'dangling-reference')).toEqual([expect.objectContaining({ file: 'nodes.yaml', line: 7, col: 12 })]);
  });

  it('keeps the kind and name of a document with a syntax error, so references to it are not reported again', () => {
    const profile = 'apiVersion: plinth/v1\nkind: HardwareProfile\nmetadata: { name: nope }\nspec:\n  match: [unclosed\n';
    const result = validateFiles({ 'broken.yaml': profile, ...edit('nodes.yaml', 'profile: gpu', 'profile: nope') });
    expect(problemsOf(result, 'yaml-syntax')).toHaveLength(1);
    expect(problemsOf(result, 'dangling-reference')).toEqual([]);
    expect(problemsOf(result, 'schema')).toEqual([]);
    expect(result.desired).toBeUndefined();
  });

  it('reads every document of a multi-document file and skips empty ones', () => {
    const result = validateFiles({ 'nodes.yaml': `# comment only\n---\n${BASE_FILES['nodes.yaml'] ?? ''}---\n# trailing\n` });
    expect(result.problems).toEqual([]);
    expect(result.manifestCount).toBe(9);
  });

  it('reports a repository without Cluster once, with no position', () => {
    const result = validateFiles({ 'cluster.yaml': null });
    expect(problemsOf(result, 'single-cluster')).toEqual([expect.objectContaining({ file: '', line: 0, col: 0 })]);
  });

  it('never repeats a clear-text secret in any problem', () => {
    const result = validateFiles(edit('nodes.yaml', 'passwordFrom: { env: BMC_PASSWORD }', 'passwordFrom: hunter2'));
    expect(problemsOf(result, 'plain-text-secret')).toEqual([expect.objectContaining({ ...positionOf(BASE_FILES['nodes.yaml'] ?? '', 'passwordFrom') })]);
    expect(JSON.stringify(result.problems)).not.toContain('hunter2');
  });

  it('sorts problems by file, line and column', () => {
    const result = validateFiles({ ...edit('nodes.yaml', 'profile: gpu', 'profile: nope'), ...edit('hardware.yaml', 'role: compute', 'role: nope') });
    const places = result.problems.map((problem) => `${problem.file}:${String(problem.line).padStart(4, '0')}`);
    expect(places).toEqual([...places].sort());
    expect(result.problems.length).toBe(2);
  });
});
