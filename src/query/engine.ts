/**
 * The SQL engine: osquery-compatible tables as SQLite virtual tables on better-sqlite3, one
 * in-memory database, read-only.
 *
 * A statement goes: tokenize -> refuse state changes -> load the table modules it names
 * (lazily, so a one-shot query loads only what it needs) -> prepare -> run, collecting the
 * warnings tables raise. Constraints reach the tables two ways (see virtual-table.ts and
 * README.md): `=` / IN / join values on `index` and `required` columns are pushed down by
 * SQLite itself; a column SQLite cannot push down with the operator used (`pid > 1`,
 * `path LIKE '/etc/%'`) is "demoted" to a plain column for that statement (SQLite filters it),
 * and a literal LIKE / GLOB / = on a demoted column is read from the statement text and handed
 * to the table as a hint, which can only widen the scan since SQLite re-checks every row.
 */
import Database from 'better-sqlite3';
import { SpyglassError, toSpyglassError } from '../core/errors.js';
import { HostRoot } from '../core/host-root.js';
import { registerOsqueryFunctions } from './sql-functions/index.js';
import { refuseStateChanges } from './statement-guard.js';
import { sqlError } from './sql-errors.js';
import { aliasTarget, OSQUERY_TABLE_ALIASES } from './table-aliases.js';
import { doubleQuotedAsLiteral, literalConditions, significantTokens, tableAliases, type LiteralCondition } from './sql-tokens.js';
import type { Constraint, Row, SqlValue, Table, TableContext, TableSpec } from './table.js';
import { TABLE_LOADERS, type TableLoader } from './tables/index.js';
import { layoutFor, registerVirtualTable, type TableLayout } from './virtual-table.js';

export interface QueryColumn {
  name: string;
  /** declared type (osquery's) for a table column, null for an expression */
  type: string | null;
}

export interface QueryResult {
  columns: QueryColumn[];
  rows: SqlValue[][];
  warnings: string[];
}

export interface QueryEngineOptions {
  root?: HostRoot;
  /** table name -> module loader; defaults to every registered table */
  loaders?: Record<string, TableLoader>;
  /** extra tables given directly (tests, the schedule's own tables) */
  tables?: Table[];
}

export interface QueryRunOptions {
  /** stop with 'row_limit' past this many result rows (the schedule's watchdog) */
  maxRows?: number;
}

interface StatementState {
  conditions: LiteralCondition[];
  aliases: Map<string, string>;
  identifiers: Set<string>;
  star: boolean;
  warnings: string[];
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Databases kept for demotion sets (each is one in-memory SQLite with the tables registered). */
const MAX_CACHED_DATABASES = 8;

const PARAM_REFUSED = /virtual table parameter "([^"]+)" can only be constrained by the '=' operator/;
/** SQLite's message for a double-quoted name that is no column (see doubleQuotedAsLiteral). */
const NOT_A_COLUMN_DQ = /^no such column: "(.*)" - should this be a string literal in single-quotes\?$/s;

export class QueryEngine {
  readonly root: HostRoot;
  private readonly loaders: Record<string, TableLoader>;
  private readonly tables = new Map<string, Table>();
  /** one database per set of demoted columns ('' = none demoted) */
  private readonly databases = new Map<string, { db: Database.Database; demoted: Set<string> }>();
  private current: StatementState | undefined;

  constructor(options: QueryEngineOptions = {}) {
    this.root = options.root ?? new HostRoot('/');
    this.loaders = options.loaders ?? TABLE_LOADERS;
    for (const t of options.tables ?? []) this.tables.set(t.spec.name, t);
  }

  /** Every table name this engine can serve, sorted. */
  tableNames(): string[] {
    return [...new Set([...Object.keys(this.loaders), ...this.tables.keys()])].sort();
  }

  hasTable(name: string): boolean {
    return this.tables.has(name) || Object.hasOwn(this.loaders, name);
  }

  /** The spec of a table (loading its module). */
  async spec(name: string): Promise<TableSpec | undefined> {
    await this.loadTables([name]);
    return this.tables.get(name)?.spec;
  }

  /**
   * Loads table modules by name; unknown names are ignored (SQLite reports them). A module
   * that fails to load is a 'table_module' error naming the table.
   */
  async loadTables(names: Iterable<string>): Promise<void> {
    const failures = await this.tryLoadTables(names);
    if (failures.length) throw failures[0]!;
  }

  /** Like loadTables, but loads what it can and returns the failures. */
  async tryLoadTables(names: Iterable<string>): Promise<SpyglassError[]> {
    const pending: Array<Promise<SpyglassError | undefined>> = [];
    for (const name of names) {
      if (this.tables.has(name) || !Object.hasOwn(this.loaders, name)) continue;
      pending.push(this.loaders[name]!().then(
        (mod) => {
          const table = mod.table;
          if (!table?.spec || typeof table.generate !== 'function') return new SpyglassError('table_module', `table module "${name}" does not export \`table\``, { table: name });
          this.addTable(table);
          return undefined;
        },
        (err: unknown) => new SpyglassError('table_module', `table ${name} failed to load: ${err instanceof Error ? err.message : String(err)}`, { table: name }, { cause: err }),
      ));
    }
    return (await Promise.all(pending)).filter((e): e is SpyglassError => e !== undefined);
  }

  /** Loads every table it can; returns the ones that failed. */
  async loadAllTables(): Promise<SpyglassError[]> {
    return this.tryLoadTables(this.tableNames());
  }

  /** Loaded tables (after loadTables / loadAllTables). */
  loadedTables(): Table[] {
    return [...this.tables.values()];
  }

  private addTable(table: Table): void {
    if (this.tables.get(table.spec.name) === table) return;
    this.tables.set(table.spec.name, table);
    for (const { db, demoted } of this.databases.values()) this.register(db, table, demoted);
  }

  /** Runs one statement, loading the tables it names first. */
  async query(sql: string, options: QueryRunOptions = {}): Promise<QueryResult> {
    await this.loadTables(this.namedTables(sql));
    return this.querySync(sql, options);
  }

  /**
   * Table names the statement mentions (a superset: any identifier that is a table name); an
   * osquery table alias (`hosts`) counts as the table it names, unless a table has that name.
   */
  namedTables(sql: string): string[] {
    const names = new Set<string>();
    for (const t of significantTokens(sql)) {
      if (t.type !== 'ident') continue;
      const name = this.tableNamed(t.value.toLowerCase());
      if (name !== undefined) names.add(name);
    }
    return [...names];
  }

  /** The table a name in a statement refers to: a table, or the table an alias names. */
  private tableNamed(name: string): string | undefined {
    if (this.hasTable(name)) return name;
    const target = aliasTarget(name);
    return target !== name && this.hasTable(target) ? target : undefined;
  }

  /** FROM-clause names and aliases of the statement, each mapped to its table. */
  private statementAliases(tokens: ReturnType<typeof significantTokens>): Map<string, string> {
    const aliases = tableAliases(tokens, (n) => { const t = this.tableNamed(n); return t !== undefined && this.tables.has(t); });
    for (const [k, v] of aliases) aliases.set(k, this.tableNamed(v) ?? v);
    return aliases;
  }

  /** Runs one statement with the tables already loaded (the worker and benchmarks call this). */
  querySync(written: string, options: QueryRunOptions = {}): QueryResult {
    if (significantTokens(written).length === 0) throw new SpyglassError('sql_empty', 'empty statement');
    refuseStateChanges(significantTokens(written));
    const { stmt, sql } = this.prepare(written);
    const tokens = significantTokens(sql);
    const state: StatementState = {
      conditions: literalConditions(tokens),
      aliases: this.statementAliases(tokens),
      identifiers: new Set(tokens.filter((t) => t.type === 'ident').map((t) => t.value.toLowerCase())),
      star: tokens.some((t) => t.text === '*'),
      warnings: [],
    };
    this.current = state;
    try {
      if (!stmt.reader) throw new SpyglassError('read_only', 'queries are read-only: only statements that return rows (SELECT, WITH, VALUES, read-only PRAGMAs) are run');
      // Integers come back as bigint and become numbers where that is exact, so 64-bit
      // values (unsigned sizes, limits) keep every digit.
      stmt.raw(true).safeIntegers(true);
      const rows: SqlValue[][] = [];
      for (const row of stmt.iterate() as IterableIterator<SqlValue[]>) {
        if (options.maxRows !== undefined && rows.length >= options.maxRows) {
          throw new SpyglassError('row_limit', `the query returned more than ${options.maxRows} rows (the row limit); stopped`);
        }
        for (let i = 0; i < row.length; i++) {
          const v = row[i];
          if (typeof v === 'bigint' && v >= MIN_SAFE && v <= MAX_SAFE) row[i] = Number(v);
        }
        rows.push(row);
      }
      const columns = stmt.columns().map((c) => ({ name: c.type === null ? writtenColumnName(c.name, written, sql) : c.name, type: c.type }));
      return { columns, rows, warnings: state.warnings };
    } catch (err) {
      throw sqlError(err, sql, this.errorLookup(sql));
    } finally {
      this.current = undefined;
    }
  }

  /** Rows as objects (duplicate column names: the last wins, as in osquery's JSON). */
  static rowObjects(result: QueryResult): Row[] {
    return result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c.name, r[i] ?? null])));
  }

  /**
   * Prepares with as much pushdown as SQLite accepts. Two refusals are answered by demoting
   * columns to plain ones (SQLite then filters them itself):
   * - a non-`=` operator on a parameter column: that column, in every table;
   * - "no query solution": a join of two pushdown columns (`file f JOIN hash h ON h.path =
   *   f.path`) where each side refuses to be the outer loop. One side's column is demoted;
   *   of the plans that prepare, the one leaving fewest tables with required columns
   *   unconstrained wins (read from EXPLAIN QUERY PLAN).
   * A double-quoted name SQLite finds no column for becomes a string literal (osquery's
   * dialect, `WHERE state = "running"`); the statement as finally prepared is returned, so
   * literal conditions are read from it.
   */
  private prepare(written: string): { stmt: Database.Statement; sql: string } {
    const demoted = new Set<string>();
    let sql = written;
    for (let attempt = 0; attempt < 256; attempt++) {
      let stmt: Database.Statement;
      try {
        stmt = this.database(demoted).db.prepare(sql);
      } catch (err) {
        const message = err instanceof Error ? err.message : '';
        const literal = NOT_A_COLUMN_DQ.exec(message);
        const rewritten = literal ? doubleQuotedAsLiteral(sql, literal[1]!) : undefined;
        if (rewritten !== undefined) { sql = rewritten; continue; }
        const m = PARAM_REFUSED.exec(message);
        if (m && !demoted.has(`*.${m[1]!}`)) { demoted.add(`*.${m[1]!}`); continue; }
        if (/no query solution/.test(message)) {
          const pick = this.bestDemotion(sql, demoted);
          if (pick) { demoted.add(pick); continue; }
          if (!demoted.has('*.*')) {
            for (const n of this.allParameterNames()) demoted.add(`*.${n}`);
            demoted.add('*.*');
            continue;
          }
        }
        throw sqlError(err, sql, this.errorLookup(sql));
      }
      if (!stmt.readonly) throw new SpyglassError('read_only', 'queries are read-only: this statement would change the database and is refused');
      return { stmt, sql };
    }
    throw new SpyglassError('sql_error', 'could not plan the statement');
  }

  /** The single table.column demotion that yields the best plan, or undefined. */
  private bestDemotion(sql: string, demoted: Set<string>): string | undefined {
    const tokens = significantTokens(sql);
    const idents = new Set(tokens.filter((t) => t.type === 'ident').map((t) => t.value.toLowerCase()));
    const aliases = this.statementAliases(tokens);
    let best: { key: string; score: number } | undefined;
    for (const name of this.namedTables(sql)) {
      const table = this.tables.get(name);
      if (!table) continue;
      const layout = layoutFor(table.spec, demoted);
      for (const col of layout.columns.slice(0, layout.parameterCount)) {
        if (!idents.has(col.name)) continue;
        const key = `${name}.${col.name}`;
        const trial = new Set([...demoted, key]);
        let plan: Array<{ detail: string }>;
        try {
          plan = this.database(trial).db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>;
        } catch {
          continue;
        }
        let score = 0;
        for (const { detail } of plan) {
          const m = /^SCAN (\S+) VIRTUAL TABLE INDEX 0:/.exec(detail);
          const scanned = m ? this.tables.get(aliases.get(m[1]!.toLowerCase()) ?? m[1]!.toLowerCase()) : undefined;
          if (scanned?.spec.columns.some((c) => c.required)) score++;
        }
        if (!best || score < best.score) best = { key, score };
      }
    }
    return best?.key;
  }

  private allParameterNames(): Set<string> {
    const names = new Set<string>();
    for (const t of this.tables.values()) for (const c of t.spec.columns) if (c.index || c.required) names.add(c.name);
    return names;
  }

  private database(demoted: Set<string>): { db: Database.Database; demoted: Set<string> } {
    const key = [...demoted].sort().join(',');
    let entry = this.databases.get(key);
    if (!entry && this.databases.size >= MAX_CACHED_DATABASES) {
      // a long shell session may meet many demotion sets; keep the plain one, drop the oldest other
      const oldest = [...this.databases.keys()].find((k) => k !== '');
      if (oldest !== undefined) { this.databases.get(oldest)!.db.close(); this.databases.delete(oldest); }
    }
    if (!entry) {
      const db = new Database(':memory:');
      // osquery's table aliases are views; a view names its table lazily, so it can be made
      // before the table module is loaded (and must be, before the database turns read-only)
      for (const [alias, target] of Object.entries(OSQUERY_TABLE_ALIASES)) {
        if (!this.hasTable(alias) && this.hasTable(target)) db.exec(`CREATE VIEW ${alias} AS SELECT * FROM ${target}`);
      }
      db.pragma('query_only = ON');
      registerOsqueryFunctions(db);
      entry = { db, demoted: new Set(demoted) };
      for (const t of this.tables.values()) this.register(db, t, entry.demoted);
      this.databases.set(key, entry);
    }
    return entry;
  }

  private register(db: Database.Database, table: Table, demoted: Set<string>): void {
    const layout = layoutFor(table.spec, demoted);
    registerVirtualTable(db, table.spec.name, layout, (params) => this.scan(table, layout, params));
  }

  private *scan(table: Table, layout: TableLayout, params: Array<SqlValue | undefined>): Generator<Row> {
    const spec = table.spec;
    const state = this.current;
    const warn = (message: string) => {
      const text = `${spec.name}: ${message}`;
      if (state && !state.warnings.includes(text)) state.warnings.push(text);
    };
    if (spec.liveOnly && !this.root.isLive) {
      warn(`describes the running system; empty on the non-live root ${this.root.dir}`);
      return;
    }
    const pushed: Constraint[] = [];
    for (let i = 0; i < layout.parameterCount; i++) {
      const v = params[i];
      if (v === undefined || v === null) continue;
      const col = layout.columns[i]!;
      pushed.push({ column: col.name, op: '=', value: coerceTo(col.type, v as string | number | bigint) });
    }
    const constraints = [...pushed];
    // Hints (literal conditions read from the text) go only to required columns that got no
    // pushed value in this scan: a hint may come from one branch of an OR, so a table uses it
    // to choose what to read (it has to read something), never to narrow an optional filter;
    // SQLite applies the real condition to every row.
    const pushedRequired = pushed.some((p) => spec.columns.find((c) => c.name === p.column)?.required);
    const pushedNames = new Set(pushed.map((p) => p.column));
    for (const cond of state?.conditions ?? []) {
      const col = spec.columns.find((c) => c.name === cond.column);
      if (!col) continue;
      if (col.required) {
        if (pushedRequired) continue;
      } else if (!col.selector || cond.op !== '=' || pushedNames.has(col.name)) continue;
      if (cond.qualifier !== undefined && state?.aliases.get(cond.qualifier.toLowerCase()) !== spec.name) continue;
      constraints.push({ column: col.name, op: cond.op, value: cond.op === '=' ? coerceTo(col.type, cond.value) : cond.value });
    }
    requireConstraints(spec, constraints);
    const columnsUsed = new Set<string>(
      !state || state.star ? spec.columns.filter((c) => !c.hidden).map((c) => c.name) : [],
    );
    if (state) for (const c of spec.columns) if (state.identifiers.has(c.name)) columnsUsed.add(c.name);
    const ctx: TableContext = {
      root: this.root,
      constraints,
      equalsValues(column) {
        const vals = constraints.filter((c) => c.column === column && c.op === '=' && c.value !== null).map((c) => c.value as string | number | bigint);
        return vals.length ? vals : undefined;
      },
      columnsUsed,
      warn,
    };
    let rows: Iterable<Row>;
    try {
      rows = table.generate(ctx);
      for (const row of rows) {
        let keep = true;
        for (const p of pushed) {
          const v = row[p.column];
          if (v === undefined || v === null) { row[p.column] = p.value; continue; }
          if (!sqlEqual(v, p.value)) { keep = false; break; }
        }
        if (keep) yield row;
      }
    } catch (err) {
      throw toSpyglassError(err, 'table_error', { table: spec.name });
    }
  }

  private errorLookup(sql: string) {
    return {
      tryPrepare: (prefix: string) => {
        try { this.database(new Set()).db.prepare(prefix); return undefined; } catch (e) { return e instanceof Error ? e.message : String(e); }
      },
      tableNames: () => this.tableNames(),
      columnNames: () => this.namedTables(sql).flatMap((n) => this.tables.get(n)?.spec.columns.map((c) => c.name) ?? []),
    };
  }

  close(): void {
    for (const { db } of this.databases.values()) db.close();
    this.databases.clear();
  }
}

/** osquery's "required column" error, before any scan of the disk happens. */
function requireConstraints(spec: TableSpec, constraints: Constraint[]): void {
  const alternatives = spec.requiredOneOf ?? spec.columns.filter((c) => c.required).map((c) => [c.name]);
  if (alternatives.length === 0) return;
  const usable = new Set(constraints.filter((c) => c.op === '=' || c.op === 'LIKE' || c.op === 'GLOB').map((c) => c.column));
  if (alternatives.some((set) => set.every((col) => usable.has(col)))) return;
  const names = alternatives.map((set) => set.map((c) => `"${c}"`).join(' and ')).join(' or ');
  throw new SpyglassError(
    'constraint_required',
    `table ${spec.name} needs a constraint on ${names} (with =, IN or LIKE), e.g. ${spec.examples?.[0] ?? `SELECT * FROM ${spec.name} WHERE ${alternatives[0]![0]} = '…'`}`,
    { table: spec.name },
  );
}

/**
 * An expression column is named by its text in the statement; where a double-quoted literal
 * was rewritten (`SELECT "abc"`), the name is given back as written, as osquery's SQLite
 * names it.
 */
function writtenColumnName(name: string, written: string, prepared: string): string {
  if (written === prepared || written.includes(name)) return name;
  const at = prepared.indexOf(name);
  if (at < 0) return name;
  // the rewrite only ever replaces tokens, so the same span of tokens in the written text is the name
  const before = significantTokens(prepared.slice(0, at)).length;
  const count = significantTokens(name).length;
  const tokens = significantTokens(written).slice(before, before + count);
  return tokens.length === count && count > 0 ? written.slice(tokens[0]!.start, tokens[count - 1]!.end) : name;
}

function coerceTo(type: string, v: string | number | bigint): string | number | bigint {
  if (type === 'TEXT') return typeof v === 'string' ? v : String(v);
  if (type === 'DOUBLE') return typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;
  if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : BigInt(v.trim());
  }
  return v;
}

function sqlEqual(a: SqlValue, b: SqlValue): boolean {
  if (typeof a === 'string' || typeof b === 'string') return String(a) === String(b);
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  // eslint-disable-next-line eqeqeq
  return a == b;
}
