import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TABLES_DOC, tablesReferenceMarkdown } from './tables-reference.js';
import { TABLE_LOADERS } from './tables/index.js';

test('docs/tables.md is generated from the table specs and up to date (npm run docs)', async () => {
  assert.equal(readFileSync(TABLES_DOC, 'utf8'), await tablesReferenceMarkdown());
});

test('docs/tables.md documents every table with its columns and types', async () => {
  const doc = await tablesReferenceMarkdown();
  for (const [name, load] of Object.entries(TABLE_LOADERS)) {
    const { spec } = (await load()).table;
    if (name.startsWith('osquery_')) continue; // documented as its spyglass_ table
    assert.match(doc, new RegExp(`^## ${name}$`, 'm'));
    for (const c of spec.columns) assert.ok(doc.includes(`| ${c.name} | ${c.type} |`), `${name}.${c.name} ${c.type} in docs/tables.md`);
  }
});
