/**
 * A table's spec, derived: the columns (names, order, types, flags) are osquery's, from the
 * vendored schema facts; the prose is ours, from ./table-descriptions.ts. A table module says
 * only what is Spyglass's own - its name, whether it is live-only, which constraints it
 * needs, which columns steer where it reads - so its columns cannot drift from osquery's.
 *
 *   const spec = osqueryTableSpec('users');
 *   const spec = osqueryTableSpec('file', { requiredOneOf: [['path'], ['directory']] });
 */
import type { ColumnSpec, ColumnType, TableSpec } from '../table.js';
import type { OsqueryColumnFacts } from './osquery-facts.js';
import { OSQUERY_LINUX_TABLES } from './osquery-linux-tables.js';
import { TABLE_DESCRIPTIONS } from './table-descriptions.js';

export interface TableSpecOptions {
  /** osquery's table when we serve it under our own name (spyglass_info is osquery_info) */
  osqueryName?: string;
  liveOnly?: boolean;
  requiredOneOf?: string[][];
  /** columns whose `=` values say where to read (see ColumnSpec.selector) */
  selectors?: string[];
}

const COLUMN_TYPES: ReadonlySet<string> = new Set<ColumnType>(['TEXT', 'INTEGER', 'BIGINT', 'UNSIGNED_BIGINT', 'DOUBLE', 'BLOB']);

function columnSpec(table: string, c: OsqueryColumnFacts, description: string | undefined, selector: boolean): ColumnSpec {
  if (!COLUMN_TYPES.has(c.type)) throw new Error(`${table}.${c.name}: osquery type ${c.type} has no SQLite column type here`);
  const spec: ColumnSpec = { name: c.name, type: c.type as ColumnType, description: description ?? '' };
  if (c.required) spec.required = true;
  if (c.hidden) spec.hidden = true;
  // osquery's three ways of saying "a constraint here narrows the scan" are one flag for us
  if (c.index || c.additional || c.optimized) spec.index = true;
  if (selector) spec.selector = true;
  return spec;
}

/**
 * The spec of table `name` from osquery's schema and our descriptions. A name osquery does not
 * have, or a selector that is not one of its columns, is a mistake in the table module and
 * throws; a missing description leaves the text empty (the conformance suite reports it).
 */
export function osqueryTableSpec(name: string, options: TableSpecOptions = {}): TableSpec {
  const osqueryName = options.osqueryName ?? name;
  const facts = OSQUERY_LINUX_TABLES[osqueryName];
  if (!facts) throw new Error(`table ${name}: ${osqueryName} is not in osquery's Linux schema`);
  const columnNames = new Set(facts.columns.map((c) => c.name));
  const selectors = new Set(options.selectors ?? []);
  for (const s of selectors) if (!columnNames.has(s)) throw new Error(`table ${name}: selector ${s} is not one of its columns`);
  const docs = TABLE_DESCRIPTIONS[name];
  const spec: TableSpec = {
    name,
    description: docs?.description ?? '',
    columns: facts.columns.map((c) => columnSpec(name, c, docs?.columns[c.name], selectors.has(c.name))),
  };
  if (docs?.examples?.length) spec.examples = [...docs.examples];
  if (options.liveOnly) spec.liveOnly = true;
  if (options.requiredOneOf) spec.requiredOneOf = options.requiredOneOf;
  return spec;
}
