/**
 * Reference tables generated from zod schemas (through their JSON Schema), so the docs of a
 * configuration or a plugin never disagree with the code: one row per option, nested
 * mappings flattened to dotted paths, with type, default and description.
 */
import { z } from 'zod';

export interface JsonSchemaNode {
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
  additionalProperties?: JsonSchemaNode | boolean;
  required?: string[];
}

export function jsonSchemaOf(schema: z.ZodType): JsonSchemaNode {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
}

/** A short human description of a node's type: "`a` | `b`", "list of string", "mapping". */
export function typeText(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((v) => `\`${String(v)}\``).join(' | ');
  if (node.const !== undefined) return `\`${String(node.const)}\``;
  const alts = node.anyOf ?? node.oneOf;
  if (alts) return [...new Set(alts.map(typeText))].join(' or ');
  if (node.type === 'array') return `list of ${node.items ? typeText(node.items) : 'values'}`;
  if (node.type === 'object') return 'mapping';
  if (Array.isArray(node.type)) return node.type.join(' or ');
  return node.type ?? 'any';
}

/** Escapes text for a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n/g, ' ');
}

/**
 * Markdown table rows (`| option | type | default | meaning |`) for the properties of an object
 * node. With `nested`, mappings that declare their own properties are flattened into dotted rows.
 */
export function optionRows(node: JsonSchemaNode, options: { prefix?: string; nested?: boolean } = {}): string[] {
  const rows: string[] = [];
  const required = new Set(node.required ?? []);
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const key = options.prefix ? `${options.prefix}.${name}` : name;
    const def = child.default !== undefined ? `\`${JSON.stringify(child.default)}\`` : required.has(name) ? '(required)' : '';
    const nestedProps = options.nested && child.type === 'object' && child.properties;
    if (nestedProps) {
      rows.push(`| \`${key}\` | mapping | | ${cell(child.description ?? '')} |`);
      rows.push(...optionRows(child, { ...options, prefix: key }));
    } else {
      rows.push(`| \`${key}\` | ${cell(typeText(child))} | ${cell(def)} | ${cell(child.description ?? '')} |`);
    }
  }
  return rows;
}

export const OPTION_TABLE_HEADER = ['| option | type | default | meaning |', '|---|---|---|---|'];
