import { BASE_FILES, edit } from './fixture-repo.js';
import { runRuleCases, type RuleCase } from './rule-cases.js';

const hardware = BASE_FILES['hardware.yaml'] ?? '';

const secondImage = `---
apiVersion: plinth/v1
kind: Image
metadata: { name: installer }
spec:
  recipe: { suite: bookworm }
`;

const cases: RuleCase[] = [
  {
    title: 'a profile naming a role that does not exist',
    rule: 'dangling-reference',
    failing: edit('hardware.yaml', 'role: compute', 'role: comptue'),
    at: { file: 'hardware.yaml', needle: 'comptue' },
    message: /^Role `comptue` is not defined \(did you mean `compute`\?\); declare it/,
    passing: edit('hardware.yaml', 'role: compute', 'role: controller'),
  },
  {
    title: 'a profile naming an undeclared GPU model',
    rule: 'dangling-reference',
    failing: edit('hardware.yaml', 'model: a100,', 'model: h100,'),
    at: { file: 'hardware.yaml', needle: 'h100' },
    message: /^GpuModel `h100` is not defined/,
    passing: edit('hardware.yaml', 'gpus: [{ model: a100, count: { min: 1 } }]', 'gpus: [{ model: a100 }]'),
  },
  {
    title: 'a profile naming an undeclared image',
    rule: 'dangling-reference',
    failing: edit('hardware.yaml', '  role: compute\n', '  role: compute\n  image: gold\n'),
    at: { file: 'hardware.yaml', needle: 'gold\n' },
    message: /^Image `gold` is not defined \(did you mean `golden`\?\)/,
    passing: edit('hardware.yaml', '  role: compute\n', '  role: compute\n  image: golden\n'),
  },
  {
    title: 'a node pinned to an undeclared profile',
    rule: 'dangling-reference',
    failing: edit('nodes.yaml', 'profile: gpu', 'profile: gpu-large'),
    at: { file: 'nodes.yaml', needle: 'gpu-large' },
    message: /^HardwareProfile `gpu-large` is not defined/,
    passing: edit('nodes.yaml', 'profile: gpu', 'role: compute'),
  },
  {
    title: 'a node with an address on an undeclared network (reported at the key)',
    rule: 'dangling-reference',
    failing: edit('nodes.yaml', 'management: 10.10.0.11', 'mgmt: 10.10.0.11'),
    at: { file: 'nodes.yaml', needle: 'mgmt' },
    message: /^Network `mgmt` is not defined/,
    passing: edit('nodes.yaml', 'management: 10.10.0.11, ', ''),
  },
  {
    title: 'a location in an availability zone the Cluster does not declare',
    rule: 'dangling-reference',
    failing: edit('location.yaml', 'availabilityZone: az-1', 'availabilityZone: az-3'),
    at: { file: 'location.yaml', needle: 'az-3' },
    message: /availability zone `az-3` is not declared/,
    passing: edit('location.yaml', 'availabilityZone: az-1', 'availabilityZone: az-2'),
  },
  {
    title: 'a custom Role that takes a built-in name',
    rule: 'builtin-role',
    failing: { 'roles.yaml': 'apiVersion: plinth/v1\nkind: Role\nmetadata: { name: compute }\nspec: { description: x, installWave: 70, puppetClass: site::compute }\n' },
    at: { file: 'roles.yaml', needle: 'compute }' },
    message: /`compute` is a built-in role/,
    passing: { 'roles.yaml': 'apiVersion: plinth/v1\nkind: Role\nmetadata: { name: bastion }\nspec: { description: x, installWave: 70, puppetClass: site::bastion }\n' },
  },
  {
    title: 'a secret role parameter with a default value',
    rule: 'plain-text-secret',
    failing: { 'roles.yaml': 'apiVersion: plinth/v1\nkind: Role\nmetadata: { name: bastion }\nspec:\n  description: x\n  installWave: 70\n  puppetClass: site::bastion\n  parameters:\n    vpn_psk: { type: secret, description: VPN key, default: abc }\n' },
    at: { file: 'roles.yaml', needle: 'default' },
    message: /secret parameter `vpn_psk` cannot have a default/,
    passing: { 'roles.yaml': 'apiVersion: plinth/v1\nkind: Role\nmetadata: { name: bastion }\nspec:\n  description: x\n  installWave: 70\n  puppetClass: site::bastion\n  parameters:\n    vpn_psk: { type: secret, description: VPN key }\n' },
  },
  {
    title: 'a golden image without checksum',
    rule: 'image-source',
    failing: edit('hardware.yaml', '  sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n', ''),
    at: { file: 'hardware.yaml', needle: 'url:', after: 'kind: Image' },
    message: /golden image needs `sha256`/,
    passing: edit('hardware.yaml', 'format: raw', 'format: qcow2'),
  },
  {
    title: 'a profile without image when there are two',
    rule: 'image-choice',
    failing: { 'hardware.yaml': `${hardware}${secondImage}` },
    at: { file: 'hardware.yaml', needle: 'priority: 20' },
    message: /2 Images are declared; say which one/,
    passing: { 'hardware.yaml': `${hardware.replace('  role: compute\n', '  role: compute\n  image: installer\n')}${secondImage}` },
  },
  {
    title: 'a custom CPU model without its model name',
    rule: 'cpu-model',
    failing: edit('hardware.yaml', 'spec: { mode: custom, model: EPYC-Rome }', 'spec: { mode: custom }'),
    at: { file: 'hardware.yaml', needle: 'custom }' },
    message: /mode `custom` needs `model`/,
    passing: edit('hardware.yaml', 'spec: { mode: custom, model: EPYC-Rome }', 'spec: { mode: host-passthrough }'),
  },
  {
    title: 'a quota smaller than the nodes pinned to the profile',
    rule: 'unsatisfiable-quota',
    failing: edit('hardware.yaml', 'quota: { max: 2 }', 'quota: { max: 0 }'),
    at: { file: 'hardware.yaml', needle: '0 }', after: 'quota' },
    message: /1 nodes are pinned to this profile but its quota allows 0 \(the first one over is `gpu-1` in nodes\.yaml\)/,
    passing: edit('hardware.yaml', 'quota: { max: 2 }', 'quota: { max: 1 }'),
  },
  {
    title: 'a quota whose minimum exceeds its maximum',
    rule: 'unsatisfiable-quota',
    failing: edit('hardware.yaml', 'quota: { max: 2 }', 'quota: { min: 3, max: 2 }'),
    at: { file: 'hardware.yaml', needle: '{ min: 3' },
    message: /min \(3\) is greater than max \(2\)/,
    passing: edit('hardware.yaml', 'quota: { max: 2 }', 'quota: { min: 2, max: 2 }'),
  },
  {
    title: 'a GPU count range that nothing can meet',
    rule: 'unsatisfiable-quota',
    failing: edit('hardware.yaml', 'count: { min: 1 }', 'count: { min: 4, max: 2 }'),
    at: { file: 'hardware.yaml', needle: '{ min: 4' },
    message: /min \(4\) is greater than max \(2\)/,
    passing: edit('hardware.yaml', 'count: { min: 1 }', 'count: { min: 2, max: 4 }'),
  },
  {
    title: 'a PCI vendor id in upper case',
    rule: 'pci-id',
    failing: edit('hardware.yaml', 'vendorId: "10de"', 'vendorId: "10DE"'),
    at: { file: 'hardware.yaml', needle: '"10DE"' },
    message: /vendorId `10DE` is not a PCI id: .*; write `10de`/,
    passing: edit('hardware.yaml', 'productId: "20b5"', 'productId: "1eb8"'),
  },
  {
    title: 'two GPU models for one PCI device',
    rule: 'pci-id',
    failing: { 'hardware/more-gpus.yaml': 'apiVersion: plinth/v1\nkind: GpuModel\nmetadata: { name: a100-copy }\nspec: { vendorId: "10de", productId: "20b5", deviceType: type-PCI, alias: a100b }\n' },
    at: { file: 'hardware/more-gpus.yaml', needle: '"20b5"' },
    message: /10de:20b5 is already GpuModel `a100`/,
    passing: { 'hardware/more-gpus.yaml': 'apiVersion: plinth/v1\nkind: GpuModel\nmetadata: { name: t4 }\nspec: { vendorId: "10de", productId: "1eb8", deviceType: type-PCI, alias: t4 }\n' },
  },
  {
    title: 'a CPU-model pattern that is not a regular expression',
    rule: 'invalid-pattern',
    failing: edit('hardware.yaml', 'cpuModel: "^AMD EPYC"', 'cpuModel: "^AMD (EPYC"'),
    at: { file: 'hardware.yaml', needle: '"^AMD (' },
    message: /is not a valid regular expression/,
    passing: edit('hardware.yaml', 'cpuModel: "^AMD EPYC"', 'cpuModel: "^AMD (EPYC|Opteron)"'),
  },
  {
    title: 'a placement placeholder that is not a named group',
    rule: 'invalid-pattern',
    failing: edit('location.yaml', 'rack: "b{rack}"', 'rack: "b{row}"'),
    at: { file: 'location.yaml', needle: '"b{row}"' },
    message: /placeholder \{row\} is not a named group/,
    passing: edit('location.yaml', 'rack: "b{rack}"', 'rack: "{rack}"'),
  },
  {
    title: 'one switch placed by two locations',
    rule: 'duplicate-switch',
    failing: { 'location/rack-c.yaml': 'apiVersion: plinth/v1\nkind: Location\nmetadata: { name: rack-c }\nspec:\n  switches: [{ name: a01-tor1, availabilityZone: az-2 }]\n' },
    at: { file: 'location/rack-c.yaml', needle: 'a01-tor1' },
    message: /switch `a01-tor1` is already placed by Location `rack-a`/,
    passing: { 'location/rack-c.yaml': 'apiVersion: plinth/v1\nkind: Location\nmetadata: { name: rack-c }\nspec:\n  switches: [{ name: c01-tor1, availabilityZone: az-2 }]\n' },
  },
];

runRuleCases('reference and catalogue rules', cases);
