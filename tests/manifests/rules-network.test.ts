import { BASE_FILES, edit } from './fixture-repo.js';
import { runRuleCases, type RuleCase } from './rule-cases.js';

const networks = BASE_FILES['networks.yaml'] ?? '';
const nodes = BASE_FILES['nodes.yaml'] ?? '';

const subnets = `---
apiVersion: plinth/v1
kind: Network
metadata: { name: ceph }
spec:
  purpose: ceph
  cidr: 10.50.0.0/22
  perLocation:
    - { location: rack-a, cidr: 10.50.0.0/23 }
    - { location: rack-a, cidr: SECOND }
`;

const otherNode = (management: string) => `apiVersion: plinth/v1
kind: Node
metadata: { name: gpu-2 }
spec:
  serial: SN002
  addresses: { management: ${management} }
`;

const cases: RuleCase[] = [
  {
    title: 'a CIDR with host bits set',
    rule: 'invalid-cidr',
    failing: edit('networks.yaml', 'cidr: 10.20.0.0/24', 'cidr: 10.20.0.1/24'),
    at: { file: 'networks.yaml', needle: '10.20.0.1/24' },
    message: /has host bits set; the network is 10\.20\.0\.0\/24/,
    passing: edit('networks.yaml', 'cidr: 10.20.0.0/24', 'cidr: 10.20.0.0/16'),
  },
  {
    title: 'a prefix longer than the address',
    rule: 'invalid-cidr',
    failing: edit('networks.yaml', 'cidr: 10.20.0.0/24', 'cidr: 10.20.0.0/33'),
    at: { file: 'networks.yaml', needle: '10.20.0.0/33' },
    message: /is not a valid CIDR/,
    passing: edit('networks.yaml', 'cidr: 10.20.0.0/24', 'cidr: 10.20.0.0/20'),
  },
  {
    title: 'two networks sharing addresses',
    rule: 'overlapping-cidr',
    failing: { ...edit('networks.yaml', 'cidr: 10.20.0.0/24', 'cidr: 10.10.0.128/25'), ...edit('nodes.yaml', ', ipmi: 10.20.0.11', '') },
    at: { file: 'networks.yaml', needle: '10.10.0.128/25' },
    message: /10\.10\.0\.128\/25 overlaps Network `management` \(10\.10\.0\.0\/24, networks\.yaml:1\)/,
    passing: { ...edit('networks.yaml', 'cidr: 10.20.0.0/24', 'cidr: 10.10.1.0/24'), ...edit('nodes.yaml', ', ipmi: 10.20.0.11', '') },
  },
  {
    title: 'two per-location subnets sharing addresses',
    rule: 'overlapping-cidr',
    failing: { 'networks.yaml': networks + subnets.replace('SECOND', '10.50.1.0/24') },
    at: { file: 'networks.yaml', needle: '10.50.1.0/24' },
    message: /subnet 10\.50\.1\.0\/24 overlaps subnet 10\.50\.0\.0\/23/,
    passing: { 'networks.yaml': networks + subnets.replace('SECOND', '10.50.2.0/24') },
  },
  {
    title: 'a per-location subnet outside its network',
    rule: 'address-outside-network',
    failing: { 'networks.yaml': networks + subnets.replace('SECOND', '10.51.0.0/24') },
    at: { file: 'networks.yaml', needle: '10.51.0.0/24' },
    message: /subnet 10\.51\.0\.0\/24 is not inside the network's CIDR 10\.50\.0\.0\/22/,
    passing: { 'networks.yaml': networks + subnets.replace('SECOND', '10.50.3.0/24') },
  },
  {
    title: 'an allocation range leaving the network',
    rule: 'address-outside-network',
    failing: edit('networks.yaml', 'end: 10.10.0.200', 'end: 10.10.1.200'),
    at: { file: 'networks.yaml', needle: '10.10.1.200' },
    message: /10\.10\.1\.200 is outside 10\.10\.0\.0\/24/,
    passing: edit('networks.yaml', 'end: 10.10.0.200', 'end: 10.10.0.254'),
  },
  {
    title: 'a range that ends before it starts',
    rule: 'invalid-range',
    failing: edit('networks.yaml', '{ start: 10.10.0.10, end: 10.10.0.200 }', '{ start: 10.10.0.200, end: 10.10.0.10 }'),
    at: { file: 'networks.yaml', needle: '10.10.0.10 }' },
    message: /range ends \(10\.10\.0\.10\) before it starts \(10\.10\.0\.200\)/,
    passing: edit('networks.yaml', '{ start: 10.10.0.10, end: 10.10.0.200 }', '{ start: 10.10.0.200, end: 10.10.0.200 }'),
  },
  {
    title: 'two ranges of one network overlapping',
    rule: 'overlapping-range',
    failing: edit('networks.yaml', '{ start: 10.10.0.10, end: 10.10.0.200 }', '{ start: 10.10.0.10, end: 10.10.0.100 }, { start: 10.10.0.100, end: 10.10.0.200 }'),
    at: { file: 'networks.yaml', needle: '{ start: 10.10.0.100' },
    message: /range 10\.10\.0\.100-10\.10\.0\.200 overlaps range 1/,
    passing: edit('networks.yaml', '{ start: 10.10.0.10, end: 10.10.0.200 }', '{ start: 10.10.0.10, end: 10.10.0.100 }, { start: 10.10.0.101, end: 10.10.0.200 }'),
  },
  {
    title: 'a gateway inside an allocation range',
    rule: 'address-collision',
    failing: edit('networks.yaml', 'gateway: 10.10.0.1', 'gateway: 10.10.0.100'),
    at: { file: 'networks.yaml', needle: '10.10.0.100' },
    message: /gateway 10\.10\.0\.100 lies inside an allocation range/,
    passing: edit('networks.yaml', 'gateway: 10.10.0.1', 'gateway: 10.10.0.254'),
  },
  {
    title: 'a gateway on the broadcast address',
    rule: 'address-collision',
    failing: edit('networks.yaml', 'gateway: 10.10.0.1', 'gateway: 10.10.0.255'),
    at: { file: 'networks.yaml', needle: '10.10.0.255' },
    message: /is the network or broadcast address/,
    passing: edit('networks.yaml', 'gateway: 10.10.0.1', 'gateway: 10.10.0.2'),
  },
  {
    title: 'a reserved address outside the network',
    rule: 'address-outside-network',
    failing: edit('networks.yaml', 'reserved: [10.10.0.5]', 'reserved: [10.10.0.5, 10.11.0.5]'),
    at: { file: 'networks.yaml', needle: '10.11.0.5' },
    message: /10\.11\.0\.5 is outside 10\.10\.0\.0\/24/,
    passing: edit('networks.yaml', 'reserved: [10.10.0.5]', 'reserved: [10.10.0.5, 10.10.0.6]'),
  },
  {
    title: 'a pinned address that is no IP address',
    rule: 'invalid-address',
    failing: edit('nodes.yaml', 'ipmi: 10.20.0.11 }', 'ipmi: 10.20.0.300 }'),
    at: { file: 'nodes.yaml', needle: '10.20.0.300' },
    message: /`10\.20\.0\.300` is not a valid IP address/,
    passing: edit('nodes.yaml', 'ipmi: 10.20.0.11 }', 'ipmi: 10.20.0.254 }'),
  },
  {
    title: 'a pinned address outside its network',
    rule: 'address-outside-network',
    failing: edit('nodes.yaml', 'management: 10.10.0.11', 'management: 10.10.1.11'),
    at: { file: 'nodes.yaml', needle: '10.10.1.11' },
    message: /10\.10\.1\.11 is outside Network `management` \(10\.10\.0\.0\/24\)/,
    passing: edit('nodes.yaml', 'management: 10.10.0.11', 'management: 10.10.0.254'),
  },
  {
    title: 'a pinned address on a reserved one',
    rule: 'address-collision',
    failing: edit('nodes.yaml', 'management: 10.10.0.11', 'management: 10.10.0.5'),
    at: { file: 'nodes.yaml', needle: '10.10.0.5' },
    message: /10\.10\.0\.5 is reserved of Network `management`|10\.10\.0\.5 is reserved/,
    passing: edit('nodes.yaml', 'management: 10.10.0.11', 'management: 10.10.0.6'),
  },
  {
    title: 'one address pinned to two nodes',
    rule: 'address-collision',
    failing: { 'nodes.yaml': `${nodes}---\n${otherNode('10.10.0.11')}` },
    at: { file: 'nodes.yaml', needle: '10.10.0.11', after: 'gpu-2' },
    message: /10\.10\.0\.11 on `management` is already pinned to Node `gpu-1`/,
    passing: { 'nodes.yaml': `${nodes}---\n${otherNode('10.10.0.12')}` },
  },
];

runRuleCases('network and address rules', cases);
