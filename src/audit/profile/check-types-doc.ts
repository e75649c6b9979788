/**
 * docs/check-types.md, generated from the check types' own schemas (descriptions, types,
 * defaults), so the reference never disagrees with the code. Written by
 * generate-json-schema.ts beside the JSON Schema; a test fails when it is stale.
 */
import { z } from 'zod';
import type { CheckType } from '../check.js';

interface JsonSchemaNode {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  default?: unknown;
  description?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
}

function typeText(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((v) => `\`${String(v)}\``).join(' | ');
  if (node.const !== undefined) return `\`${String(node.const)}\``;
  const alts = node.anyOf ?? node.oneOf;
  if (alts) return [...new Set(alts.map(typeText))].join(' or ');
  if (node.type === 'array') return `list of ${node.items ? typeText(node.items) : 'values'}`;
  if (node.type === 'object') return 'mapping';
  if (Array.isArray(node.type)) return node.type.join(' or ');
  return node.type ?? 'any';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n/g, ' ');
}

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
    const schema = z.toJSONSchema(ct.schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
    out.push(`## ${ct.type}`, '', ct.description, '', '| option | type | default | meaning |', '|---|---|---|---|');
    const required = new Set(schema.required ?? []);
    for (const [name, node] of Object.entries(schema.properties ?? {})) {
      const def = node.default !== undefined ? `\`${JSON.stringify(node.default)}\`` : required.has(name) ? '(required)' : '';
      out.push(`| \`${name}\` | ${cell(typeText(node))} | ${cell(def)} | ${cell(node.description ?? '')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
