import { BASE_FILES, edit } from './fixture-repo.js';
import { runRuleCases, type RuleCase } from './rule-cases.js';

const cluster = BASE_FILES['cluster.yaml'] ?? '';
const nodes = BASE_FILES['nodes.yaml'] ?? '';

/** A second pinned node; fields given override its distinct defaults. */
function secondNode(fields: { name?: string; serial?: string; mac?: string; hostname?: string; management?: string } = {}): string {
  return `apiVersion: plinth/v1
kind: Node
metadata: { name: ${fields.name ?? 'gpu-2'} }
spec:
  serial: ${fields.serial ?? 'SN002'}
  mac: "${fields.mac ?? 'aa:bb:cc:00:00:02'}"
  profile: gpu
  hostname: ${fields.hostname ?? 'lab-compute-2'}
  addresses: { management: ${fields.management ?? '10.10.0.12'} }
`;
}

const cases: RuleCase[] = [
  {
    title: 'a second Cluster in the repository',
    rule: 'single-cluster',
    failing: { 'cluster.yaml': `${cluster}---\n${cluster.replace('name: lab', 'name: lab2')}` },
    at: { file: 'cluster.yaml', needle: 'lab2' },
    message: /repository describes one cluster, but `lab` is already declared at cluster\.yaml:1:1/,
    passing: { 'cluster.yaml': cluster },
  },
  {
    title: 'the same name twice in one file',
    rule: 'duplicate-name',
    failing: { 'nodes.yaml': `${nodes}---\n${secondNode({ name: 'gpu-1' })}` },
    at: { file: 'nodes.yaml', needle: 'gpu-1', after: '---' },
    message: /Node `gpu-1` is already defined at nodes\.yaml:1:1; rename one/,
    passing: { 'nodes.yaml': `${nodes}---\n${secondNode()}` },
  },
  {
    title: 'the same object defined in two files',
    rule: 'defined-twice',
    failing: { 'nodes/extra.yaml': secondNode({ name: 'gpu-1' }) },
    at: { file: 'nodes/extra.yaml', needle: 'gpu-1' },
    message: /Node `gpu-1` is also defined in nodes\.yaml:1:1; keep one definition/,
    passing: { 'nodes/extra.yaml': secondNode() },
  },
  {
    title: 'a node without serial or MAC',
    rule: 'node-identity',
    failing: edit('nodes.yaml', '  serial: SN001\n  mac: "aa:bb:cc:00:00:01"\n', ''),
    at: { file: 'nodes.yaml', needle: 'profile: gpu' },
    message: /needs `serial` \(or `mac`/,
    passing: edit('nodes.yaml', '  serial: SN001\n', ''),
  },
  {
    title: 'two nodes with one MAC, written in another case',
    rule: 'duplicate-mac',
    failing: { 'nodes/extra.yaml': secondNode({ mac: 'AA:BB:CC:00:00:01' }) },
    at: { file: 'nodes/extra.yaml', needle: '"AA:BB' },
    message: /MAC AA:BB:CC:00:00:01 is already used by Node `gpu-1` \(nodes\.yaml:1\)/,
    passing: { 'nodes/extra.yaml': secondNode({ mac: 'aa:bb:cc:00:00:03' }) },
  },
  {
    title: 'two nodes with one serial',
    rule: 'duplicate-serial',
    failing: { 'nodes/extra.yaml': secondNode({ serial: 'SN001' }) },
    at: { file: 'nodes/extra.yaml', needle: 'SN001' },
    message: /serial SN001 is already used by Node `gpu-1`/,
    passing: { 'nodes/extra.yaml': secondNode({ serial: 'SN0011' }) },
  },
  {
    title: 'two nodes with one hostname, short and FQDN',
    rule: 'duplicate-hostname',
    failing: { 'nodes/extra.yaml': secondNode({ hostname: 'lab-compute-1.lab.example.net' }) },
    at: { file: 'nodes/extra.yaml', needle: 'lab-compute-1' },
    message: /hostname lab-compute-1 is already used by Node `gpu-1`/,
    passing: { 'nodes/extra.yaml': secondNode({ hostname: 'lab-compute-11.lab.example.net' }) },
  },
  {
    title: 'a hostname pattern without {n}',
    rule: 'hostname-pattern',
    failing: edit('cluster.yaml', '  osSuite: bookworm\n', '  osSuite: bookworm\n  hostnamePattern: "{cluster}-{role}.{domain}"\n'),
    at: { file: 'cluster.yaml', needle: '"{cluster}' },
    message: /needs \{n\}/,
    passing: edit('cluster.yaml', '  osSuite: bookworm\n', '  osSuite: bookworm\n  hostnamePattern: "{role}{n}-{az}.{domain}"\n'),
  },
  {
    title: 'a hostname pattern with an unknown placeholder',
    rule: 'hostname-pattern',
    failing: edit('cluster.yaml', '  osSuite: bookworm\n', '  osSuite: bookworm\n  hostnamePattern: "{zone}-{n}.{domain}"\n'),
    at: { file: 'cluster.yaml', needle: '"{zone}' },
    message: /unknown placeholder \{zone\}/,
    passing: edit('cluster.yaml', '  osSuite: bookworm\n', '  osSuite: bookworm\n  hostnamePattern: "{rack}-{n}.{domain}"\n'),
  },
  {
    title: 'a pinned hostname that is not a DNS name',
    rule: 'invalid-hostname',
    failing: edit('nodes.yaml', 'hostname: lab-compute-1', 'hostname: lab_compute_1'),
    at: { file: 'nodes.yaml', needle: 'lab_compute_1' },
    message: /has the label `lab_compute_1`/,
    passing: edit('nodes.yaml', 'hostname: lab-compute-1', 'hostname: lab-compute-1.lab.example.net'),
  },
  {
    title: 'a pinned FQDN outside the cluster domain',
    rule: 'invalid-hostname',
    failing: edit('nodes.yaml', 'hostname: lab-compute-1', 'hostname: lab-compute-1.other.example.net'),
    at: { file: 'nodes.yaml', needle: 'lab-compute-1' },
    message: /outside the cluster domain lab\.example\.net/,
    passing: edit('nodes.yaml', 'hostname: lab-compute-1', 'hostname: lab-compute-1.lab.example.net'),
  },
];

runRuleCases('node identity and naming rules', cases);
