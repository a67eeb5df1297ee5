import type { Problem } from '../../reconciler/lib/problems.js';
import type { Role } from '../../reconciler/manifests/kinds/index.js';
import { loadTexts, validateLoaded, type ValidationResult } from '../../reconciler/manifests/validate-repository.js';

/** A small repository that validates clean; each test replaces or adds one file to break one rule. */
export const BASE_FILES: Record<string, string> = {
  'cluster.yaml': `apiVersion: plinth/v1
kind: Cluster
metadata: { name: lab }
spec:
  domain: lab.example.net
  release: "2024.1"
  osSuite: bookworm
  availabilityZones: [{ name: az-1 }, { name: az-2 }]
  cpu: { mode: custom, model: epyc }
`,
  'networks.yaml': `apiVersion: plinth/v1
kind: Network
metadata: { name: management }
spec:
  purpose: management
  cidr: 10.10.0.0/24
  gateway: 10.10.0.1
  ranges: [{ start: 10.10.0.10, end: 10.10.0.200 }]
  reserved: [10.10.0.5]
---
apiVersion: plinth/v1
kind: Network
metadata: { name: ipmi }
spec:
  purpose: ipmi
  cidr: 10.20.0.0/24
`,
  'location.yaml': `apiVersion: plinth/v1
kind: Location
metadata: { name: rack-a }
spec:
  switches:
    - name: a01-tor1
      rack: a01
      availabilityZone: az-1
    - pattern: "^b(?<rack>\\\\d+)-tor$"
      rack: "b{rack}"
      availabilityZone: az-2
`,
  'hardware.yaml': `apiVersion: plinth/v1
kind: GpuModel
metadata: { name: a100 }
spec: { vendorId: "10de", productId: "20b5", deviceType: type-PCI, alias: a100 }
---
apiVersion: plinth/v1
kind: CpuModel
metadata: { name: epyc }
spec: { mode: custom, model: EPYC-Rome }
---
apiVersion: plinth/v1
kind: HardwareProfile
metadata: { name: gpu }
spec:
  priority: 20
  match:
    cpuModel: "^AMD EPYC"
    gpus: [{ model: a100, count: { min: 1 } }]
  quota: { max: 2 }
  role: compute
---
apiVersion: plinth/v1
kind: Image
metadata: { name: golden }
spec:
  url: https://images.example.net/golden.raw
  sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
  format: raw
`,
  'nodes.yaml': `apiVersion: plinth/v1
kind: Node
metadata: { name: gpu-1 }
spec:
  serial: SN001
  mac: "aa:bb:cc:00:00:01"
  profile: gpu
  location: rack-a
  hostname: lab-compute-1
  bmc:
    address: ipmi://10.20.0.11:623
    username: admin
    passwordFrom: { env: BMC_PASSWORD }
  addresses: { management: 10.10.0.11, ipmi: 10.20.0.11 }
`,
};

/** The built-in roles the rules see in these tests (the real catalog is tested on its own). */
export const TEST_ROLES: ReadonlyMap<string, Role> = new Map(
  ['compute', 'controller'].map((name) => [
    name,
    { apiVersion: 'plinth/v1', kind: 'Role', metadata: { name }, spec: { description: name, installWave: 60, puppetClass: `plinth::role::${name}` } } as Role,
  ]),
);

/** Validates BASE_FILES with some files replaced or added (a `null` content removes a file). */
export function validateFiles(overrides: Record<string, string | null> = {}): ValidationResult {
  const files = new Map(Object.entries({ ...BASE_FILES, ...overrides }).filter((entry): entry is [string, string] => entry[1] !== null));
  return validateLoaded(loadTexts(files), TEST_ROLES);
}

/** The 1-based line and column of `needle` in `text`, searching from the first `after` when given. */
export function positionOf(text: string, needle: string, after = ''): { line: number; col: number } {
  const start = after === '' ? 0 : text.indexOf(after);
  const offset = start < 0 ? -1 : text.indexOf(needle, start);
  if (offset < 0) throw new Error(`\`${needle}\` not found${after ? ` after \`${after}\`` : ''}`);
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, col: offset - before.lastIndexOf('\n') };
}

/** The problems of one rule, for focused assertions. */
export function problemsOf(result: ValidationResult, rule: string): Problem[] {
  return result.problems.filter((problem) => problem.rule === rule);
}

/** Replaces `from` by `to` in a base file (which must contain it). */
export function edit(file: string, from: string, to: string): Record<string, string> {
  const text = BASE_FILES[file];
  if (text === undefined || !text.includes(from)) throw new Error(`${file} does not contain \`${from}\``);
  return { [file]: text.replace(from, to) };
}
