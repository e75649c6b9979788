/** The sink plugin shape: each folder holds index.ts, schema.ts, index.test.ts and README.md, and is one registry entry of the same name. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SINK_TYPES } from './registry.js';

const here = path.dirname(fileURLToPath(import.meta.url));

test('every sink folder has the same four files and a registry entry named like the folder', () => {
  const folders = fs.readdirSync(here, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  assert.deepEqual(SINK_TYPES.map((t) => t.type).sort(), folders);
  for (const name of folders) {
    for (const file of ['index.ts', 'schema.ts', 'index.test.ts', 'README.md']) assert.ok(fs.existsSync(path.join(here, name, file)), `${name}/${file}`);
  }
  for (const t of SINK_TYPES) {
    assert.ok(t.description.length > 10, `${t.type}: a description`);
    assert.equal((t.schema.safeParse({ type: t.type, bogus_key: 1 }).error?.issues ?? []).some((i) => i.code === 'unrecognized_keys'), true, `${t.type}: unknown keys are refused`);
  }
});
