/** profiles/profile.schema.json is generated from the code's schema: fail when it is stale. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CHECK_TYPES } from '../checks/registry.js';
import { JSON_SCHEMA_FILE, profileJsonSchemaText } from './generate-json-schema.js';
import { shippedProfilesDir } from './shipped-profiles.js';

test('the committed profile JSON Schema matches the code (regenerate: node --import tsx src/audit/profile/generate-json-schema.ts)', () => {
  const committed = readFileSync(path.join(shippedProfilesDir(), JSON_SCHEMA_FILE), 'utf8');
  assert.equal(committed, profileJsonSchemaText());
});

test('the JSON Schema offers every registered check type', () => {
  const text = profileJsonSchemaText();
  for (const ct of CHECK_TYPES) assert.ok(text.includes(`"const": "${ct.type}"`), ct.type);
});
