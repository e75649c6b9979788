/**
 * Writes `profiles/profile.schema.json` (from the profile schema and the registered check
 * types), `docs/check-types.md` (the check types' option reference) and
 * `docs/audit-result.schema.json` (the JSON result). Run after adding or changing a check type:
 *   node --import tsx src/audit/profile/generate-json-schema.ts
 * (json-schema.test.ts fails while the committed file is stale.)
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECK_TYPES } from '../checks/registry.js';
import { auditResultJsonSchema } from '../result-schema.js';
import { checkTypesMarkdown } from './check-types-doc.js';
import { profileJsonSchema } from './schema.js';
import { packageRoot, shippedProfilesDir } from './shipped-profiles.js';

export const JSON_SCHEMA_FILE = 'profile.schema.json';
export const CHECK_TYPES_DOC = 'docs/check-types.md';
export const RESULT_SCHEMA_FILE = 'docs/audit-result.schema.json';

export function resultJsonSchemaText(): string {
  return JSON.stringify(auditResultJsonSchema(), null, 2) + '\n';
}

/** The file's exact text (stable key order, trailing newline). */
export function profileJsonSchemaText(): string {
  return JSON.stringify(profileJsonSchema(CHECK_TYPES), null, 2) + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = path.join(shippedProfilesDir(), JSON_SCHEMA_FILE);
  writeFileSync(target, profileJsonSchemaText());
  const doc = path.join(packageRoot(), CHECK_TYPES_DOC);
  writeFileSync(doc, checkTypesMarkdown(CHECK_TYPES));
  writeFileSync(path.join(packageRoot(), RESULT_SCHEMA_FILE), resultJsonSchemaText());
  process.stdout.write(`wrote ${target}, ${doc} and ${RESULT_SCHEMA_FILE} (${CHECK_TYPES.map((c) => c.type).join(', ')})\n`);
}
