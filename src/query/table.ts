/**
 * The contract every SQL table fulfils. A table is a module `src/query/tables/<name>.ts`
 * (or a folder `tables/<name>/index.ts` when it needs helpers) exporting a `Table`; the
 * module name and `spec.name` are osquery's table name. The runtime SQLite schema,
 * `spyglass tables --schema`, docs/tables.md and the column-type conformance test all come
 * from `spec`, which a module does not write by hand: `osqueryTableSpec(name, options)`
 * (schema/table-spec.ts) takes the columns, types and flags from osquery's schema (vendored
 * in schema/osquery-linux-tables.ts) and the prose from schema/table-descriptions.ts.
 *
 * Module shape: `const spec = osqueryTableSpec('<name>', {…});
 * export const table: Table = { spec, generate }`, registered with one line in
 * `tables/index.ts` (lazy import). File names use osquery's table name (`deb_packages.ts`).
 *
 * Lifecycle: the engine registers every table once per database; `generate` is called for
 * each scan of the table in a query, with the WHERE constraints SQLite could push down.
 * It runs synchronously (SQLite virtual tables pull rows synchronously), so it reads the
 * host with synchronous calls through `ctx.root`-relative paths, and it must yield rows
 * lazily where the source is large (a directory walk, a process list).
 */
import type { HostRoot } from '../core/host-root.js';

/** osquery's column types. INTEGER and BIGINT are JS numbers (bigint where over 2^53). */
export type ColumnType = 'TEXT' | 'INTEGER' | 'BIGINT' | 'UNSIGNED_BIGINT' | 'DOUBLE' | 'BLOB';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  description: string;
  /** a query must constrain it (osquery's `required`): `file` needs `path` or `directory` */
  required?: boolean;
  /** left out of `SELECT *` (osquery's `hidden`) */
  hidden?: boolean;
  /** a constraint on it narrows the scan (osquery's `index` / `additional` / `optimized`) */
  index?: boolean;
  /**
   * A value for this column says *where* to read (npm_packages.directory,
   * deb_packages.admindir, a max_depth): when SQLite cannot push an `=` down for it (the column
   * is not among the leading index columns), the engine still hands the literal values written
   * in the statement to the table, as `=` constraints. Such a value may come from one branch of
   * an OR, so use it to choose what to read, never to drop rows: SQLite filters them.
   */
  selector?: boolean;
}

export interface TableSpec {
  name: string;
  description: string;
  columns: ColumnSpec[];
  examples?: string[];
  /**
   * The table describes the running kernel or live processes (processes, listening_ports,
   * kernel_modules, uptime, …): on a root other than "/" it yields nothing and warns.
   */
  liveOnly?: boolean;
  /**
   * Alternative sets of columns of which one must be constrained with `=` or `LIKE`,
   * e.g. [["path"], ["directory"]] for `file`. A query constraining none gets osquery's
   * kind of error instead of a scan of the whole disk.
   */
  requiredOneOf?: string[][];
}

export type ConstraintOp = '=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'GLOB';

/**
 * A WHERE condition SQLite pushed down to the table. What arrives (see src/query/README.md):
 * - `=` on a column marked `index` or `required`, one value per `generate` call: an IN list
 *   or a join (`JOIN hash h ON h.path = p.path`) calls `generate` once per value. SQLite does
 *   not re-check these, so a row must carry the constrained value exactly as given (the
 *   engine drops rows that do not, as a safety net).
 * - `LIKE` / `GLOB` with a literal pattern on a required column (osquery's `%` / `%%` globs),
 *   and literal `=` values on a required or `selector` column SQLite could not push down;
 *   SQLite re-checks those, so yielding more rows than match is safe.
 * Other operators (`>`, `<>`, …) are applied by SQLite after the scan.
 */
export interface Constraint {
  column: string;
  op: ConstraintOp;
  value: string | number | bigint | null;
}

export type SqlValue = string | number | bigint | null | Buffer;
export type Row = Record<string, SqlValue>;

export interface TableContext {
  root: HostRoot;
  constraints: Constraint[];
  /** every `=` value given for a column (an IN list gives several), or undefined when unconstrained */
  equalsValues(column: string): Array<string | number | bigint> | undefined;
  /** columns the query reads, so a generator can skip expensive ones (hashes, sockets) */
  columnsUsed: ReadonlySet<string>;
  /** a warning shown to the user beside the result (e.g. "live-only table on a non-live root") */
  warn(message: string): void;
}

export interface Table {
  spec: TableSpec;
  generate(ctx: TableContext): Iterable<Row>;
}
