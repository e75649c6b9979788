/**
 * Registers a `Table` as an SQLite virtual table on a better-sqlite3 database, so that
 * constraint columns are both pushed down and real, visible columns.
 *
 * Why not `db.table(name, { parameters, rows })` as documented: better-sqlite3 declares its
 * parameters as HIDDEN columns whose value in every row is the argument itself. That makes
 * `SELECT * FROM file WHERE directory = '/etc'` lose the `path` column (hidden, and the same
 * NULL for every row) - not osquery's `file`. The module factory underneath that API takes a
 * declaration `[createTableSql, generator, parameterNames, safeIntegers, directOnly]` and treats
 * the first N declared columns as parameters, whatever the SQL says about them. We hand it that
 * declaration ourselves: the pushdown columns (the leading index columns) declared visible
 * and with osquery's types, and the generator yields whole rows, so each row carries its own `path`.
 *
 * What better-sqlite3's xBestIndex then does (src/util/custom-table.cpp): an `=` constraint
 * (also each value of an IN list, and the outer value of a join) on a parameter column is
 * passed to the generator, marked "omit" (SQLite does not re-check it); any other operator on a
 * parameter column makes it refuse the plan with
 *   virtual table parameter "pid" can only be constrained by the '=' operator
 * The engine answers that by "demoting" the column (registering it as a plain column, which
 * SQLite filters itself) and preparing again; see engine.ts.
 *
 * A guard test (virtual-table.test.ts) fails if a better-sqlite3 upgrade changes this contract.
 */
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import type { ColumnSpec, Row, SqlValue, TableSpec } from './table.js';

const require = createRequire(import.meta.url);
const { cppdb } = require('better-sqlite3/lib/util.js') as { cppdb: symbol };

type NativeTableFactory = (...args: string[]) => [string, (...params: unknown[]) => Iterator<unknown[]>, string[], number, boolean];
interface NativeDatabase { table(factory: NativeTableFactory, name: string, eponymous: boolean): void }

/** The physical layout of a registered table: which leading columns are parameters. */
export interface TableLayout {
  /** columns in declaration order: always the spec's order, so `SELECT *` matches osquery */
  columns: ColumnSpec[];
  /** how many leading columns are parameters */
  parameterCount: number;
}

/**
 * Parameters must be the leading columns (better-sqlite3 treats columns 0..N-1 as its
 * parameters), and the spec's order is osquery's `SELECT *` order, which we keep. So the
 * pushdown columns are the leading run of `index` / `required` columns that are not demoted:
 * `file` (path, directory), `processes` (pid), `users` (uid). An index column further right
 * is still filtered correctly, by SQLite, after the scan.
 */
export function layoutFor(spec: TableSpec, demoted: ReadonlySet<string>): TableLayout {
  let n = 0;
  while (n < spec.columns.length && n < 32) {
    const c = spec.columns[n]!;
    if (!(c.index || c.required) || isDemoted(demoted, spec.name, c.name)) break;
    n++;
  }
  return { columns: spec.columns, parameterCount: n };
}

/** Demotions are "table.column", or "*.column" for every table with that column. */
export function isDemoted(demoted: ReadonlySet<string>, table: string, column: string): boolean {
  return demoted.has(`*.${column}`) || demoted.has(`${table}.${column}`);
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** `CREATE TABLE x(...)` with osquery's types; hidden columns stay out of `SELECT *`. */
export function declarationSql(layout: TableLayout): string {
  const cols = layout.columns.map((c) => `${quoteIdent(c.name)} ${c.type}${c.hidden ? ' HIDDEN' : ''}`);
  return `CREATE TABLE x(${cols.join(', ')})`;
}

/**
 * Registers `name` (eponymous: usable without CREATE VIRTUAL TABLE). `scan` is called once
 * per xFilter with the parameter values (undefined where unconstrained) in layout order, and
 * yields rows as objects keyed by column name.
 */
export function registerVirtualTable(
  db: Database.Database,
  name: string,
  layout: TableLayout,
  scan: (params: Array<SqlValue | undefined>) => Iterable<Row>,
): void {
  const sql = declarationSql(layout);
  const names = layout.columns.map((c) => c.name);
  const converters = layout.columns.map((c) => converterFor(c));
  const paramNames = names.slice(0, layout.parameterCount);
  const width = names.length;
  const generator = function* (...params: unknown[]): Generator<unknown[]> {
    for (const row of scan(params as Array<SqlValue | undefined>)) {
      const out = new Array<unknown>(width);
      for (let i = 0; i < width; i++) out[i] = converters[i]!(row[names[i]!]);
      yield out;
    }
  };
  const factory: NativeTableFactory = () => [sql, generator, paramNames, 2, false];
  ((db as unknown as Record<symbol, NativeDatabase>)[cppdb]!).table(factory, name, true);
}

/**
 * Makes a yielded value fit its declared type: booleans to 0/1, numbers to text for TEXT,
 * undefined to NULL. Integer columns hand SQLite a bigint: better-sqlite3 passes every JS
 * number as a REAL, which would make `typeof(uid)` 'real', `uid || ''` '0.0' and `uid / 2`
 * a fraction, where osquery's integer columns are INTEGER.
 */
function converterFor(col: ColumnSpec): (v: unknown) => SqlValue {
  switch (col.type) {
    case 'TEXT':
      return (v) => (v === undefined || v === null ? null : typeof v === 'string' || Buffer.isBuffer(v) ? v : String(v));
    case 'DOUBLE':
      return (v) => (v === undefined || v === null ? null : typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? Number(v) : numberOrNull(v));
    case 'BLOB':
      return (v) => (v === undefined ? null : (v as SqlValue));
    default:
      return (v) => {
        if (v === undefined || v === null) return null;
        if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : null;
        if (typeof v === 'bigint') return v;
        if (typeof v === 'boolean') return v ? 1n : 0n;
        const n = integerOrNull(v);
        return typeof n === 'number' ? BigInt(n) : n;
      };
  }
}

function numberOrNull(v: unknown): number | null {
  const n = Number(v);
  return typeof v === 'string' && v.trim() !== '' && Number.isFinite(n) ? n : null;
}

function integerOrNull(v: unknown): number | bigint | null {
  if (typeof v !== 'string' || !/^\s*-?\d+\s*$/.test(v)) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : BigInt(v.trim());
}
