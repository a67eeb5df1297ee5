import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** The example repository's files (without its Node manifests), path → content, for a test's first commit. */
export async function readExampleBase(): Promise<Record<string, string>> {
  const root = join(import.meta.dirname, '..', '..', 'cluster-repo-example');
  const files: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files[relative(root, path)] = await readFile(path, 'utf8');
    }
  };
  await walk(root);
  for (const path of Object.keys(files)) if (path.startsWith('nodes/')) delete files[path];
  return files;
}

export interface E2eMachine {
  name: string;
  serial: string;
  fixture: string;
  profile: string;
  macs: string[];
  bmcUrl: string;
}

/** Node manifests pinning each machine by serial, with its BMC and the password taken from `passwordEnv`. */
export function renderNodeManifests(machines: readonly E2eMachine[], passwordEnv: string, user: string): string {
  return machines
    .map((machine) => [
      'apiVersion: plinth/v1',
      'kind: Node',
      `metadata: { name: ${machine.name} }`,
      'spec:',
      `  serial: ${machine.serial}`,
      `  profile: ${machine.profile}`,
      '  location: room-a',
      '  bmc:',
      `    address: ${machine.bmcUrl}`,
      `    username: ${user}`,
      `    passwordFrom: { env: ${passwordEnv} }`,
      '',
    ].join('\n'))
    .join('---\n');
}
