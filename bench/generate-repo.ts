import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Writes a synthetic but valid cluster repository of any size, deterministically (same options, same bytes):
 * networks sized for the nodes, racks over two availability zones, a few hardware profiles, and one file of
 * pinned Node manifests per rack. Used by `bench/validate.ts`.
 */
export interface GenerateOptions {
  nodes: number;
  racks?: number;
}

export interface GeneratedRepository {
  files: number;
  manifests: number;
}

const PROFILES = ['compute', 'compute-gpu', 'ceph-osd', 'swift-store', 'network-node'] as const;
const ROLE_OF: Record<(typeof PROFILES)[number], string> = {
  compute: 'compute',
  'compute-gpu': 'compute',
  'ceph-osd': 'cephosd',
  'swift-store': 'swiftstore',
  'network-node': 'network',
};

function address(base: number, index: number): string {
  // Hosts start at .10 of a /16 so that the gateway and the first addresses stay free.
  const host = index + 10;
  return `10.${base}.${Math.floor(host / 256)}.${host % 256}`;
}

function mac(index: number): string {
  const bytes = [0x52, 0x54, 0x00, (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff];
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}

function renderCommon(racks: number): Record<string, string> {
  const networks = [
    ['management', 'management', 100],
    ['ipmi', 'ipmi', 101],
    ['provisioning', 'provisioning', 102],
    ['vxlan', 'vxlan', 103],
  ] as const;
  const switches = Array.from({ length: racks }, (_, rack) => `    - { name: dc1-r${String(rack).padStart(3, '0')}-tor1, rack: r${rack}, availabilityZone: az-${(rack % 2) + 1} }`);
  const profiles = PROFILES.map(
    (name, index) => `apiVersion: plinth/v1\nkind: HardwareProfile\nmetadata: { name: ${name} }\nspec:\n  priority: ${10 + index}\n  match:\n    productName: ["Model ${index}"]\n    memoryGiB: { min: ${64 * (index + 1)} }\n${name === 'compute-gpu' ? '    gpus: [{ model: a100, count: { min: 1 } }]\n' : ''}  role: ${ROLE_OF[name]}\n  raid: { kind: software, level: 1, devices: 2 }\n`,
  );
  return {
    'cluster.yaml': 'apiVersion: plinth/v1\nkind: Cluster\nmetadata: { name: big }\nspec:\n  domain: big.example.net\n  release: "2024.1"\n  osSuite: bookworm\n  availabilityZones: [{ name: az-1 }, { name: az-2 }]\n',
    'networks.yaml': networks
      .map(([name, purpose, base]) => `apiVersion: plinth/v1\nkind: Network\nmetadata: { name: ${name} }\nspec:\n  purpose: ${purpose}\n  cidr: 10.${base}.0.0/16\n  gateway: 10.${base}.0.1\n  ranges: [{ start: 10.${base}.0.10, end: 10.${base}.255.250 }]\n`)
      .join('---\n'),
    'locations.yaml': `apiVersion: plinth/v1\nkind: Location\nmetadata: { name: dc1 }\nspec:\n  switches:\n${switches.join('\n')}\n`,
    'hardware.yaml': [
      'apiVersion: plinth/v1\nkind: GpuModel\nmetadata: { name: a100 }\nspec: { vendorId: "10de", productId: "20b5", deviceType: type-PCI, alias: a100 }\n',
      'apiVersion: plinth/v1\nkind: Image\nmetadata: { name: golden }\nspec:\n  url: https://images.example.net/golden.raw\n  sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n  format: raw\n',
      ...profiles,
    ].join('---\n'),
  };
}

function renderNode(index: number, rack: number): string {
  const name = `node-${String(index).padStart(5, '0')}`;
  const profile = PROFILES[index % PROFILES.length] ?? 'compute';
  return `apiVersion: plinth/v1
kind: Node
metadata: { name: ${name} }
spec:
  serial: SN${String(index).padStart(8, '0')}
  mac: "${mac(index)}"
  hostname: ${name}
  profile: ${profile}
  location: dc1
  bmc:
    address: ipmi://${address(101, index)}:623
    username: admin
    passwordFrom: { store: bmc/${name} }
  addresses:
    management: ${address(100, index)}
    ipmi: ${address(101, index)}
    provisioning: ${address(102, index)}
  settings: { rack_hint: r${rack} }
`;
}

export async function generateRepository(directory: string, options: GenerateOptions): Promise<GeneratedRepository> {
  const racks = options.racks ?? 40;
  if (options.nodes > 60000) throw new Error('at most 60000 nodes fit the generated /16 networks');
  await mkdir(join(directory, 'nodes'), { recursive: true });
  const common = renderCommon(racks);
  for (const [file, text] of Object.entries(common)) await writeFile(join(directory, file), text);
  const perRack = Math.ceil(options.nodes / racks);
  for (let rack = 0; rack < racks; rack += 1) {
    const documents: string[] = [];
    for (let index = rack * perRack; index < Math.min(options.nodes, (rack + 1) * perRack); index += 1) documents.push(renderNode(index, rack));
    if (documents.length > 0) await writeFile(join(directory, 'nodes', `rack-${String(rack).padStart(3, '0')}.yaml`), documents.join('---\n'));
  }
  return { files: Object.keys(common).length + Math.min(racks, Math.ceil(options.nodes / perRack)), manifests: 4 + 2 + PROFILES.length + 1 + 1 + options.nodes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const directory = process.argv[2];
  const nodes = Number(process.argv[3] ?? 10000);
  if (!directory || !Number.isInteger(nodes) || nodes < 1) {
    console.error('usage: npx tsx bench/generate-repo.ts DIRECTORY [NODES=10000]');
    process.exit(2);
  }
  const generated = await generateRepository(directory, { nodes });
  console.log(`wrote ${generated.manifests} manifests in ${generated.files} files to ${directory}`);
}
