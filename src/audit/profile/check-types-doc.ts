/**
 * docs/check-types.md, generated from the check types' own schemas (descriptions, types,
 * defaults), so the reference never disagrees with the code. Written by
 * generate-json-schema.ts beside the JSON Schema; a test fails when it is stale.
 */
import { OPTION_TABLE_HEADER, jsonSchemaOf, optionRows } from '../../core/schema-docs.js';
import type { CheckType } from '../check.js';

export function checkTypesMarkdown(checkTypes: readonly CheckType[]): string {
  const out: string[] = [
    '# Check types',
    '',
    '<!-- Generated from the check types\' schemas by `node --import tsx src/audit/profile/generate-json-schema.ts`; do not edit by hand. -->',
    '',
    'Every check in a profile is a mapping with `type:` and that type\'s options below. Each check',
    'type\'s folder (`src/audit/checks/<type>/README.md`) explains how it decides and what evidence it gives.',
    '',
    ...checkTypes.map((ct) => `- [\`${ct.type}\`](#${ct.type.replace(/_/g, '_')}): ${ct.description}`),
    '',
  ];
  for (const ct of checkTypes) {
    out.push(`## ${ct.type}`, '', ct.description, '', ...OPTION_TABLE_HEADER, ...optionRows(jsonSchemaOf(ct.schema)));
    out.push('');
  }
  return out.join('\n');
}
