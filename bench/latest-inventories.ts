/**
 * The controller's per-reconcile read of each node's newest live-system report, with the partial index of
 * migration 3 and without it (dropped in the same run), over N nodes that each kept one live-system report
 * and K reports from their installed system (inventories of about 5 kB, as the real dumps normalise to).
 * Run: npx tsx bench/latest-inventories.ts [NODES] [INSTALLED_REPORTS_PER_NODE]   (defaults 10000 4)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../reconciler/store/sqlite/open-database.js';
import { LATEST_HARDWARE_INVENTORIES } from '../reconciler/store/sqlite/sqlite-controller-store.js';
import { median } from './measure.js';

const nodes = Number(process.argv[2] ?? 10_000);
const installedReports = Number(process.argv[3] ?? 4);
const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-latest-'));
try {
  const db = openDatabase(join(dir, 'plinth.db'));
  const hardware = JSON.stringify({ system: { serialNumber: 'S' }, padding: 'x'.repeat(4800) });
  const installed = JSON.stringify({ os: { bootedFrom: 'disk', image: 'debian-12' }, padding: 'x'.repeat(4800) });
  const node = db.prepare(`INSERT INTO nodes (id, identity_source, state, first_seen, last_seen) VALUES (?, 'serial', 'discovered', 'T', 'T')`);
  const report = db.prepare(`INSERT INTO reports (node_id, received_at, source_address, raw_gzip, raw_sha256, raw_bytes, inventory) VALUES (?, 'T', NULL, x'00', 'h', 1, ?)`);
  db.transaction(() => {
    for (let n = 0; n < nodes; n += 1) {
      node.run(`N${n}`);
      report.run(`N${n}`, hardware);
      for (let k = 0; k < installedReports; k += 1) report.run(`N${n}`, installed);
    }
  })();
  const measure = (): number => {
    const statement = db.prepare(LATEST_HARDWARE_INVENTORIES);
    const rows = statement.all().length;
    if (rows !== nodes) throw new Error(`read ${rows} inventories, expected ${nodes}`);
    const times = Array.from({ length: 5 }, () => {
      const start = performance.now();
      statement.all();
      return performance.now() - start;
    });
    return median(times);
  };
  const indexed = measure();
  db.exec('DROP INDEX reports_node_hardware');
  const scanned = measure();
  console.log(`${nodes} nodes, 1 live-system + ${installedReports} installed-system reports each; median of 5 reads (file database, warm cache)`);
  console.log(`with the partial index:    ${indexed.toFixed(0)} ms`);
  console.log(`without it:                ${scanned.toFixed(0)} ms`);
  console.log(`ratio without / with:      ${(scanned / indexed).toFixed(2)}`);
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
