/**
 * Queries are read-only. SQLite's own `sqlite3_stmt_readonly` (better-sqlite3's
 * `stmt.readonly`) catches writes, but it calls ATTACH, DETACH and transaction control
 * "read-only" (they change the connection, not a file), and some PRAGMAs change state
 * while returning rows. This guard refuses those by their first keyword, before SQLite sees
 * them; the engine checks `stmt.readonly` as well, and the database runs with
 * `PRAGMA query_only`.
 */
import { SpyglassError } from '../core/errors.js';
import type { Token } from './sql-tokens.js';

const REFUSED_FIRST_KEYWORDS = new Set([
  'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'CREATE', 'DROP', 'ALTER', 'ATTACH', 'DETACH',
  'VACUUM', 'REINDEX', 'ANALYZE', 'BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE',
]);

/** PRAGMAs that only read: the schema introspection ones people use in a shell. */
const READ_ONLY_PRAGMAS = new Set([
  'table_info', 'table_xinfo', 'table_list', 'function_list', 'module_list', 'pragma_list',
  'compile_options', 'collation_list', 'database_list',
]);

/** Throws 'read_only' for a statement that would change state (no I/O). */
export function refuseStateChanges(tokens: Token[]): void {
  let i = 0;
  if (tokens[i]?.text.toUpperCase() === 'EXPLAIN') {
    i++;
    if (tokens[i]?.text.toUpperCase() === 'QUERY' && tokens[i + 1]?.text.toUpperCase() === 'PLAN') i += 2;
  }
  const first = tokens[i];
  if (!first) return;
  const keyword = first.text.toUpperCase();
  if (REFUSED_FIRST_KEYWORDS.has(keyword)) {
    throw new SpyglassError('read_only', `queries are read-only: ${keyword} is refused (Spyglass reads host state and never changes it)`, { offset: first.start });
  }
  if (keyword === 'WITH') {
    // a common table expression may front a write: WITH a AS (…) INSERT INTO … / DELETE FROM …
    for (let j = i + 1; j < tokens.length; j++) {
      const k = tokens[j]!.type === 'ident' ? tokens[j]!.text.toUpperCase() : '';
      const next = tokens[j + 1]?.text.toUpperCase();
      if (((k === 'INSERT' || k === 'REPLACE') && next === 'INTO') || (k === 'DELETE' && next === 'FROM') || (k === 'UPDATE' && tokens[j + 2]?.text.toUpperCase() === 'SET')) {
        throw new SpyglassError('read_only', `queries are read-only: ${k} is refused (Spyglass reads host state and never changes it)`, { offset: tokens[j]!.start });
      }
    }
  }
  if (keyword === 'PRAGMA') {
    let j = i + 1;
    if (tokens[j + 1]?.text === '.') j += 2; // schema-qualified: main.table_info
    const name = tokens[j]?.value.toLowerCase() ?? '';
    const assigns = tokens[j + 1]?.text === '=';
    if (!READ_ONLY_PRAGMAS.has(name) || assigns) {
      throw new SpyglassError('read_only', `queries are read-only: PRAGMA ${name || '(none)'} is refused; allowed: ${[...READ_ONLY_PRAGMAS].join(', ')}`, { offset: first.start });
    }
  }
}
