/** Every example query in every registered table's spec (documentation shown by `spyglass tables --schema`) runs on this machine. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { QueryEngine } from '../../src/query/engine.js';
import { TABLE_LOADERS } from '../../src/query/tables/index.js';

const engine = new QueryEngine();
after(() => engine.close());

test('the spec examples of every table run', async () => {
  let count = 0;
  for (const [name, load] of Object.entries(TABLE_LOADERS)) {
    const { table } = await load();
    for (const sql of table.spec.examples ?? []) {
      await engine.query(sql).catch((err: Error) => assert.fail(`${name}: ${sql}: ${err.message}`));
      count++;
    }
  }
  assert.ok(count > 50);
});
