/**
 * Table specs come from osquery's vendored schema facts plus our descriptions: the derived
 * flags, the mistakes a table module can make, and that every table we register is described
 * column for column in our own words (and no table module lists its columns by hand).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TABLE_LOADERS } from '../tables/index.js';
import { OSQUERY_LINUX_TABLES } from './osquery-linux-tables.js';
import { TABLE_DESCRIPTIONS } from './table-descriptions.js';
import { osqueryTableSpec } from './table-spec.js';

test("a spec carries osquery's columns in order, with index for osquery's index, additional and optimized", () => {
  const spec = osqueryTableSpec('users');
  assert.deepEqual(spec.columns.map((c) => c.name), OSQUERY_LINUX_TABLES.users!.columns.map((c) => c.name));
  const byName = new Map(spec.columns.map((c) => [c.name, c]));
  assert.equal(byName.get('uid')!.index, true, 'osquery index');
  assert.equal(byName.get('username')!.index, true, 'osquery additional');
  assert.equal(byName.get('gid')!.index, undefined);
  assert.equal(byName.get('include_remote')!.hidden, true);
  assert.equal(byName.get('uid')!.description, TABLE_DESCRIPTIONS.users!.columns.uid);
  const file = osqueryTableSpec('file', { requiredOneOf: [['path'], ['directory']] });
  assert.deepEqual(file.columns.filter((c) => c.required).map((c) => c.name), ['path', 'directory']);
  assert.deepEqual(file.requiredOneOf, [['path'], ['directory']]);
  const npm = osqueryTableSpec('npm_packages', { selectors: ['directory'] });
  assert.deepEqual(npm.columns.filter((c) => c.selector).map((c) => c.name), ['directory']);
});

test('our own tables take the columns of the osquery table they stand for', () => {
  const spec = osqueryTableSpec('spyglass_info', { osqueryName: 'osquery_info' });
  assert.equal(spec.name, 'spyglass_info');
  assert.deepEqual(spec.columns.map((c) => c.name), OSQUERY_LINUX_TABLES.osquery_info!.columns.map((c) => c.name));
});

test('a table module that names an unknown table, a selector that is no column, or a type we cannot declare fails at once', () => {
  assert.throws(() => osqueryTableSpec('no_such_table'), /no_such_table is not in osquery's Linux schema/);
  assert.throws(() => osqueryTableSpec('deb_packages', { selectors: ['admin_dir'] }), /selector admin_dir is not one of its columns/);
  const datetime = Object.entries(OSQUERY_LINUX_TABLES).find(([, t]) => t.columns.some((c) => c.type === 'DATETIME'));
  assert.ok(datetime, 'the vendored schema has a DATETIME column');
  assert.throws(() => osqueryTableSpec(datetime[0]), /osquery type DATETIME has no SQLite column type/);
});

test('every registered table is described in our words, column for column, with examples', async () => {
  const registered = new Set<string>();
  for (const loader of Object.values(TABLE_LOADERS)) {
    const { spec } = (await loader()).table;
    const docs = TABLE_DESCRIPTIONS[spec.name.replace(/^osquery_/, 'spyglass_')];
    assert.ok(docs, `${spec.name} has an entry in table-descriptions.ts`);
    registered.add(spec.name.replace(/^osquery_/, 'spyglass_'));
    assert.ok(spec.description.length > 0, `${spec.name} has a description`);
    assert.ok(docs.examples?.length, `${spec.name} has examples`);
    for (const c of spec.columns) assert.ok(docs.columns[c.name], `${spec.name}.${c.name} has a description`);
    const names = new Set(spec.columns.map((c) => c.name));
    for (const described of Object.keys(docs.columns)) assert.ok(names.has(described), `${spec.name}: described column ${described} is not in osquery's schema`);
  }
  for (const name of Object.keys(TABLE_DESCRIPTIONS)) assert.ok(registered.has(name), `table-descriptions.ts describes ${name}, which no module registers`);
});

test('no table module lists its columns by hand: they come from the schema', () => {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../tables');
  const offenders = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .filter((f) => /\bcolumns:\s*\[|:\s*TableSpec\s*=/.test(fs.readFileSync(path.join(dir, f), 'utf8')));
  assert.deepEqual(offenders, []);
});
