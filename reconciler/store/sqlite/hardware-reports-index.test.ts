import { describe, expect, it } from '@jest/globals';
import { openDatabase } from './open-database.js';
import { LATEST_HARDWARE_INVENTORY } from './report-rows.js';
import { LATEST_HARDWARE_INVENTORIES } from './sqlite-controller-store.js';

describe('reading each node’s newest live-system report', () => {
  it('goes through the partial index instead of parsing every stored inventory', () => {
    const db = openDatabase(':memory:');
    const plans = [
      db.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${LATEST_HARDWARE_INVENTORIES}`).all(),
      db.prepare<[string], { detail: string }>(`EXPLAIN QUERY PLAN ${LATEST_HARDWARE_INVENTORY}`).all('n1'),
    ].map((rows) => rows.map((row) => row.detail));

    expect(plans[0]).toContainEqual(expect.stringContaining('USING INDEX reports_node_hardware'));
    expect(plans[1]).toEqual([expect.stringContaining('USING INDEX reports_node_hardware (node_id=?)')]);
  });
});
