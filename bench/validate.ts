import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { findManifestFiles } from '../reconciler/manifests/find-manifest-files.js';
import { validateRepository } from '../reconciler/manifests/validate-repository.js';
import { generateRepository } from './generate-repo.js';
import { median, timeWall } from './measure.js';

/**
 * `npm run bench:validate`: how much plinth's load + validate costs over merely parsing the same YAML.
 * Both sides read the files from disk; the parse side is `yaml`'s parseAllDocuments + toJS, the least any
 * tool must do. Goal: ratio ≤ 3. Rounds alternate between the sides and the median is kept.
 */
const NODES = Number(process.env.BENCH_NODES ?? 10000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function parseOnly(root: string): Promise<number> {
  let documents = 0;
  for (const file of await findManifestFiles(root)) {
    const parsed = parseAllDocuments(await readFile(join(root, file), 'utf8'));
    for (const document of Array.isArray(parsed) ? parsed : []) {
      document.toJS();
      documents += 1;
    }
  }
  return documents;
}

const root = await mkdtemp(join(tmpdir(), 'plinth-bench-validate-'));
try {
  const generated = await generateRepository(root, { nodes: NODES });
  const validateTimes: number[] = [];
  const parseTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    parseTimes.push(await timeWall(() => parseOnly(root)));
    validateTimes.push(
      await timeWall(async () => {
        const result = await validateRepository(root);
        if (!result.desired) throw new Error(`the generated repository must be valid: ${JSON.stringify(result.problems.slice(0, 3))}`);
      }),
    );
  }
  const validate = median(validateTimes);
  const parse = median(parseTimes);
  console.log(`repository: ${generated.manifests} manifests (${NODES} nodes) in ${generated.files} files; median of ${ROUNDS} rounds`);
  console.log(`load+validate (plinth): ${validate.toFixed(0)} ms`);
  console.log(`parse only (yaml):      ${parse.toFixed(0)} ms`);
  console.log(`ratio:                  ${(validate / parse).toFixed(2)} (goal ≤ 3)`);
  console.log(`peak RSS:               ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  await rm(root, { recursive: true, force: true });
}
