/**
 * Turns SQLite's error messages into errors a person can act on: where in the statement
 * (line, column, and a caret under the token SQLite names), and for an unknown table or
 * column the nearest names that do exist.
 */
import { SpyglassError } from '../core/errors.js';
import { tokenize, type Token } from './sql-tokens.js';
import { nearestNames } from '../core/nearest-names.js';

/** 1-based line and column of an offset. */
export function lineColumn(sql: string, offset: number): { line: number; column: number } {
  const before = sql.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/**
 * The statement's line holding `offset`, with a caret under it:
 *   SELECT * FORM users
 *            ^
 */
export function caretUnder(sql: string, offset: number, width = 1): string {
  const lineStart = sql.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = sql.indexOf('\n', offset);
  const text = sql.slice(lineStart, lineEnd < 0 ? sql.length : lineEnd);
  const col = offset - lineStart;
  const pad = text.slice(0, col).replace(/[^\t]/g, ' ');
  return `${text}\n${pad}${'^'.repeat(Math.max(1, Math.min(width, text.length - col)))}`;
}

export interface SqlErrorLookup {
  /** prepares a prefix of the statement and returns SQLite's error message, or undefined */
  tryPrepare(sql: string): string | undefined;
  tableNames(): Iterable<string>;
  /** columns of the tables the statement names, for "no such column" */
  columnNames(): Iterable<string>;
}

/** Maps an error thrown by SQLite while preparing or running `sql`. */
export function sqlError(err: unknown, sql: string, lookup: SqlErrorLookup): SpyglassError {
  if (err instanceof SpyglassError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const tokens = tokenize(sql).filter((t) => t.type !== 'space' && t.type !== 'comment');
  const at = (tok: Token | undefined, code: string, text: string, extra: Record<string, string> = {}) => {
    if (!tok) return new SpyglassError(code, text, extra);
    const { line, column } = lineColumn(sql, tok.start);
    return new SpyglassError(code, text, { ...extra, line, column, offset: tok.start, length: tok.end - tok.start });
  };

  let m = /^near "([\s\S]*)": syntax error$/.exec(message);
  if (m) {
    const text = m[1]!;
    // SQLite names the first token it could not parse; when it occurs several times, the
    // right one is the first whose prefix already fails with the same message.
    const candidates = tokens.filter((t) => t.text === text);
    let found = candidates[0];
    if (candidates.length > 1) {
      for (const c of candidates) {
        if (lookup.tryPrepare(sql.slice(0, c.end)) === message) { found = c; break; }
      }
    }
    return at(found, 'sql_syntax', `syntax error near "${text}"`);
  }
  if (/incomplete input|unrecognized token/.test(message)) {
    const tok = /unrecognized token: "([\s\S]*)"/.exec(message);
    const found = tok ? tokens.find((t) => t.text.startsWith(tok[1]!)) ?? tokens.at(-1) : tokens.at(-1);
    return at(found, 'sql_syntax', tok ? `unrecognized token ${tok[1]}` : 'incomplete statement (a quote, parenthesis or clause is not closed)');
  }
  m = /^no such table: (?:\w+\.)?(.+)$/.exec(message);
  if (m) {
    const name = m[1]!;
    const near = nearestNames(name, lookup.tableNames());
    const hint = near.length ? `; did you mean ${near.join(', ')}?` : '; `spyglass tables` lists them';
    return at(tokens.find((t) => t.value.toLowerCase() === name.toLowerCase()), 'unknown_table', `no such table: ${name}${hint}`, { table: name });
  }
  m = /^no such column: (.+)$/.exec(message);
  if (m) {
    const full = m[1]!;
    const name = full.split('.').pop()!;
    const near = nearestNames(name, new Set(lookup.columnNames()));
    const hint = near.length ? `; did you mean ${near.join(', ')}?` : '';
    const idx = tokens.findIndex((t, i) => t.value.toLowerCase() === name.toLowerCase() && (full.includes('.') ? tokens[i - 1]?.text === '.' : true));
    return at(tokens[idx], 'unknown_column', `no such column: ${full}${hint}`);
  }
  if (/contains more than one statement/.test(message)) {
    return new SpyglassError('sql_multiple', 'one statement at a time here (spyglass shell runs several, each ending with ";")');
  }
  m = /^no such function: (.+)$/.exec(message);
  if (m) {
    return at(tokens.find((t) => t.value.toLowerCase() === m![1]!.toLowerCase()), 'unknown_function', message);
  }
  m = /^no such collation sequence: (version(?:_dpkg|_rhel|_arch)?)$/i.exec(message);
  if (m) {
    const flavor = /_(\w+)$/.exec(m[1]!)?.[1]?.toUpperCase();
    return at(tokens.find((t) => t.value.toLowerCase() === m![1]!.toLowerCase()), 'unsupported_collation',
      `osquery's ${m[1]!.toUpperCase()} collation is not available here; compare with version_compare(a, b${flavor ? `, '${flavor}'` : ''}) < 0 instead`);
  }
  m = /^(?:ambiguous column name|wrong number of arguments to function) ?:? ?(\w+)/.exec(message);
  if (m) return at(tokens.find((t) => t.value.toLowerCase() === m![1]!.toLowerCase()), 'sql_error', message);
  return new SpyglassError('sql_error', message, {}, { cause: err });
}

/** The error, where it is, and a caret: what the CLI and the shell print. */
export function renderSqlError(err: SpyglassError, sql: string): string {
  const c = err.context;
  let head = err.message;
  if (typeof c.line === 'number' && typeof c.column === 'number') head = `line ${c.line}, column ${c.column}: ${head}`;
  if (typeof c.offset === 'number' && sql) return `${head}\n${caretUnder(sql, c.offset, typeof c.length === 'number' ? c.length : 1)}`;
  return head;
}
