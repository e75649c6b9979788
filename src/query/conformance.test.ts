/**
 * The conformance suite every registered table runs: its spec matches osquery's schema
 * (the facts vendored in `schema/osquery-linux-tables.ts`) column for column - name, order,
 * type, required, hidden and index flags - and a real `SELECT *` on this machine (with the required
 * constraints satisfied from the spec's own examples) returns values of the declared types.
 * A table without a usable example is reported as a failure, not skipped: the example is
 * documentation too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { QueryEngine } from './engine.js';
import type { OsqueryColumnFacts } from './schema/osquery-facts.js';
import { OSQUERY_LINUX_TABLES } from './schema/osquery-linux-tables.js';
import type { ColumnType, SqlValue, TableSpec } from './table.js';
import { TABLE_LOADERS } from './tables/index.js';

/** Our self-describing tables are osquery's under our name. */
const osqueryNameOf = (name: string) => name.replace(/^spyglass_/, 'osquery_');

function typeFits(type: ColumnType, v: SqlValue): boolean {
  if (v === null) return true;
  switch (type) {
    case 'TEXT': return typeof v === 'string';
    case 'INTEGER': case 'BIGINT': case 'UNSIGNED_BIGINT': return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
    case 'DOUBLE': return typeof v === 'number';
    case 'BLOB': return Buffer.isBuffer(v) || typeof v === 'string';
  }
}

/** A statement that reads the table with its required constraints satisfied. */
function conformanceQuery(spec: TableSpec): string | undefined {
  const needsConstraint = spec.requiredOneOf !== undefined || spec.columns.some((c) => c.required);
  if (!needsConstraint) return `SELECT * FROM ${spec.name}`;
  return spec.examples?.find((e) => /\bwhere\b/i.test(e));
}

const engine = new QueryEngine();

for (const name of Object.keys(TABLE_LOADERS).sort()) {
  test(`table ${name}: spec matches osquery's schema and a real scan returns the declared types`, async () => {
    const mod = await TABLE_LOADERS[name]!();
    const spec = mod.table.spec;
    assert.equal(spec.name, name, 'the registry key is the table name');
    const theirs = OSQUERY_LINUX_TABLES[osqueryNameOf(name)];
    assert.ok(theirs, `${osqueryNameOf(name)} is not in osquery's Linux schema`);
    assert.deepEqual(spec.columns.map((c) => c.name), theirs.columns.map((c) => c.name), 'column names and order');
    for (const [i, c] of spec.columns.entries()) {
      const o: OsqueryColumnFacts = theirs.columns[i]!;
      assert.equal(c.type, o.type, `${name}.${c.name} type`);
      assert.equal(Boolean(c.required), Boolean(o.required), `${name}.${c.name} required flag`);
      assert.equal(Boolean(c.hidden), Boolean(o.hidden), `${name}.${c.name} hidden flag`);
      assert.equal(Boolean(c.index), Boolean(o.index || o.additional || o.optimized), `${name}.${c.name} index flag (osquery's index, additional or optimized)`);
      assert.ok(typeof c.description === 'string', `${name}.${c.name} has a description`);
    }
    for (const set of spec.requiredOneOf ?? []) for (const col of set) assert.ok(spec.columns.some((c) => c.name === col), `requiredOneOf names ${col}, a column of ${name}`);

    const sql = conformanceQuery(spec);
    assert.ok(sql, `${name} has required columns but no example with a WHERE clause to run`);
    const result = await engine.query(sql);
    const visible = spec.columns.filter((c) => !c.hidden);
    if (/^select \* from \w+( where|$)/i.test(sql)) {
      assert.deepEqual(result.columns.map((c) => c.name), visible.map((c) => c.name), 'SELECT * gives the visible columns in spec order');
    }
    for (const [i, col] of result.columns.entries()) {
      const c = spec.columns.find((x) => x.name === col.name);
      if (!c) continue;
      assert.equal(col.type, c.type, `${name}.${c.name} is declared to SQLite as ${c.type}`);
      for (const row of result.rows) assert.ok(typeFits(c.type, row[i] ?? null), `${name}.${c.name} = ${String(row[i])} (${typeof row[i]}) is not ${c.type}`);
    }
  });
}

test('src/query/tables holds only table modules (shared readers live in table-support/)', () => {
  const dir = new URL('./tables/', import.meta.url);
  const modules = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts');
  const registered = new Set(Object.keys(TABLE_LOADERS));
  assert.deepEqual(modules.filter((f) => !registered.has(f.replace(/\.ts$/, ''))), []);
});
