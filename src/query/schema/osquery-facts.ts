/**
 * The shape of the vendored osquery schema facts (./osquery-linux-tables.ts): what osquery
 * declares about a table, without its prose.
 */

/** osquery's column types as its specs spell them (DATETIME appears in a few tables we do not serve). */
export type OsqueryColumnType = 'TEXT' | 'INTEGER' | 'BIGINT' | 'UNSIGNED_BIGINT' | 'DOUBLE' | 'BLOB' | 'DATETIME';

export interface OsqueryColumnFacts {
  name: string;
  type: OsqueryColumnType;
  /** osquery's `index`: a constraint on it selects rows without a scan */
  index?: true;
  /** osquery's `required`: a query must constrain it */
  required?: true;
  /** osquery's `hidden`: left out of `SELECT *` */
  hidden?: true;
  /** osquery's `additional`: a constraint on it changes what the generator reads */
  additional?: true;
  /** osquery's `optimized`: the generator uses a constraint on it to read less */
  optimized?: true;
}

export interface OsqueryTableFacts {
  /** osquery's `event_table`: rows come from an event stream, not from a scan */
  eventTable: boolean;
  columns: readonly OsqueryColumnFacts[];
}
