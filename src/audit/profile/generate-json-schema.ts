/**
 * Writes `profiles/profile.schema.json` from the profile schema and the registered check
 * types. Run after adding or changing a check type:
 *   node --import tsx src/audit/profile/generate-json-schema.ts
 * (json-schema.test.ts fails while the committed file is stale.)
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECK_TYPES } from '../checks/registry.js';
import { profileJsonSchema } from './schema.js';
import { shippedProfilesDir } from './shipped-profiles.js';

export const JSON_SCHEMA_FILE = 'profile.schema.json';

/** The file's exact text (stable key order, trailing newline). */
export function profileJsonSchemaText(): string {
  return JSON.stringify(profileJsonSchema(CHECK_TYPES), null, 2) + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = path.join(shippedProfilesDir(), JSON_SCHEMA_FILE);
  writeFileSync(target, profileJsonSchemaText());
  process.stdout.write(`wrote ${target} (${CHECK_TYPES.map((c) => c.type).join(', ')})\n`);
}
