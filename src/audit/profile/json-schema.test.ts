/** profiles/profile.schema.json and docs/check-types.md are generated from the code's schemas: fail when stale. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CHECK_TYPES } from '../checks/registry.js';
import { checkTypesMarkdown } from './check-types-doc.js';
import { CHECK_TYPES_DOC, JSON_SCHEMA_FILE, RESULT_SCHEMA_FILE, profileJsonSchemaText, resultJsonSchemaText } from './generate-json-schema.js';
import { packageRoot, shippedProfilesDir } from './shipped-profiles.js';

test('the committed profile JSON Schema matches the code (regenerate: node --import tsx src/audit/profile/generate-json-schema.ts)', () => {
  const committed = readFileSync(path.join(shippedProfilesDir(), JSON_SCHEMA_FILE), 'utf8');
  assert.equal(committed, profileJsonSchemaText());
});

test('the JSON Schema offers every registered check type', () => {
  const text = profileJsonSchemaText();
  for (const ct of CHECK_TYPES) assert.ok(text.includes(`"const": "${ct.type}"`), ct.type);
});

test('the committed docs/check-types.md matches the check types (regenerate: node --import tsx src/audit/profile/generate-json-schema.ts)', () => {
  const committed = readFileSync(path.join(packageRoot(), CHECK_TYPES_DOC), 'utf8');
  assert.equal(committed, checkTypesMarkdown(CHECK_TYPES));
});

test('the committed docs/audit-result.schema.json matches the result schema', () => {
  assert.equal(readFileSync(path.join(packageRoot(), RESULT_SCHEMA_FILE), 'utf8'), resultJsonSchemaText());
});
