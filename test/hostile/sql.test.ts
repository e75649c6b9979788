/**
 * Hostile SQL against the query engine on a fixture root: statements that would write, attach
 * or load code, syntax garbage (generated), catastrophic regexes in regex_match/regex_split,
 * table constraints naming FIFOs, devices and paths that climb out of the root, huge results.
 * In-process for the bulk (each must end in a result or a Spyglass error, quickly); the CLI
 * for the watchdog: a recursive CTE stops at --timeout and a huge result at --max-rows, exit 2.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SpyglassError } from '../../src/core/errors.js';
import { HostRoot } from '../../src/core/host-root.js';
import { QueryEngine } from '../../src/query/engine.js';
import { assertNoStackTrace, assertRun, materialize, prng, runCli, tempDir, within } from './harness.js';

const rootDir = tempDir('sql');
materialize(path.join(rootDir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
materialize(path.join(rootDir, 'etc/group'), 'root:x:0:\n');
materialize(path.join(rootDir, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
materialize(path.join(rootDir, 'etc/pipe'), { fifo: true });
materialize(path.join(rootDir, 'etc/zero'), { symlink: '/dev/zero' });
materialize(path.join(rootDir, 'etc/loop-a'), { symlink: 'loop-b' });
materialize(path.join(rootDir, 'etc/loop-b'), { symlink: 'loop-a' });
materialize(path.join(rootDir, `etc/${'n'.repeat(200)}`), 'a long name for LIKE patterns\n');
after(() => fs.rmSync(rootDir, { recursive: true, force: true }));

const WRITES = [
  "INSERT INTO users (username) VALUES ('evil')", "UPDATE users SET uid = 0", 'DELETE FROM users', 'DROP TABLE users',
  'CREATE TABLE t (x)', 'CREATE TEMP TABLE t (x)', 'CREATE VIEW v AS SELECT 1', 'CREATE INDEX i ON users (uid)', 'ALTER TABLE users ADD COLUMN x',
  "ATTACH DATABASE '/tmp/spyglass-evil.db' AS evil", 'DETACH DATABASE main', 'VACUUM', "VACUUM INTO '/tmp/spyglass-evil.db'", 'REINDEX', 'ANALYZE',
  'PRAGMA writable_schema = 1', 'PRAGMA journal_mode = WAL', 'PRAGMA user_version = 5', "SELECT load_extension('/tmp/evil.so')",
  'REPLACE INTO users (username) VALUES (1)', 'BEGIN', 'COMMIT', 'SAVEPOINT s', "WITH x AS (SELECT 1) INSERT INTO users (username) SELECT * FROM x",
  'SELECT 1; DROP TABLE users', "SELECT writefile('/tmp/x', 'y')", "SELECT readfile('/etc/shadow')", "SELECT edit('x')",
];
const NASTY_READS = [
  "SELECT regex_match(printf('%.*c', 100000, 'a') || '!', '^(a+)+$', 0)",
  "SELECT regex_split(printf('%.*c', 100000, 'a'), '(a|aa)+$', 0)",
  "SELECT regex_match('x', '(?!x)', 0)", "SELECT regex_match('x', '(', 0)", "SELECT regex_match('x', 'a{99999}', 0)",
  "SELECT split(printf('%.*c', 100000, ','), ',', 5)",
  "SELECT * FROM file WHERE path = '/etc/pipe'", "SELECT * FROM hash WHERE path = '/etc/pipe'", "SELECT * FROM hash WHERE path = '/etc/zero'",
  "SELECT * FROM hash WHERE path = '/dev/zero'", "SELECT * FROM file WHERE path = '/etc/loop-a'", "SELECT * FROM hash WHERE path = '/etc/loop-a'",
  "SELECT * FROM file WHERE path = '/../../../../etc/hostname'", "SELECT * FROM file WHERE path LIKE '/etc/%%%%%%%%%%'",
  // a backtracking LIKE matcher takes minutes for eight % against a 60-character name
  "SELECT * FROM file WHERE path LIKE '/etc/%%%%%%%%%%%%x'", "SELECT * FROM file WHERE path LIKE '/%%%%%%%%/%%%%%%%%_x'",
  "SELECT * FROM file WHERE directory = '/etc/pipe'", "SELECT * FROM file WHERE path = ''", "SELECT * FROM file WHERE path = char(0)",
  "SELECT * FROM hash WHERE path = '/etc/' || printf('%.*c', 5000, 'x')", "SELECT * FROM users WHERE uid = -99999999999999999999",
  'SELECT count(*) FROM users, groups, users u2, groups g2, users u3, groups g3',
  "SELECT randomblob(2000000000)", "SELECT printf('%.*c', 2000000000, 'x')", "SELECT zeroblob(-1)",
  'SELECT * FROM no_such_table', 'SELECT no_such_column FROM users', "SELECT * FROM file", 'SELECT * FROM hash',
  'PRAGMA table_info(users)', 'EXPLAIN SELECT 1', 'SELECT sqlite_version()',
];

/** Syntax garbage: keyword soup, unbalanced nesting, odd bytes; deterministic. */
function generatedGarbage(): string[] {
  const random = prng(7);
  const words = ['SELECT', 'FROM', 'WHERE', '(', ')', ',', 'users', 'file', '*', 'AND', 'OR', "'x'", '"y"', '1', 'NULL', 'JOIN', 'ON', 'LIMIT', ';', '--', '/*', '||', '%', 'CASE', 'END', '\u0000', '\u202e', '🙂'];
  const out: string[] = [];
  for (let i = 0; i < 100; i++) out.push(Array.from({ length: 3 + Math.floor(random() * 20) }, () => words[Math.floor(random() * words.length)]).join(' '));
  out.push(`SELECT ${'('.repeat(5000)}1${')'.repeat(5000)}`, `SELECT ${'('.repeat(5000)}`, `SELECT 1 ${'UNION ALL SELECT 1 '.repeat(2000)}`,
    `SELECT '${'x'.repeat(1_000_000)}'`, `SELECT ${Array.from({ length: 5000 }, (_, k) => `${k} AS c${k}`).join(', ')}`, '', '   ', ';', '--', '/* open');
  return out;
}

const statements = [...WRITES.map((sql) => ({ sql, write: true })), ...[...NASTY_READS, ...generatedGarbage()].map((sql) => ({ sql, write: false }))];

test(`${statements.length} hostile statements: writes refused, the rest a result or a Spyglass error, each within bounds`, { timeout: 120_000 }, async () => {
  assert.ok(statements.length >= 150, `${statements.length} statements`);
  const engine = new QueryEngine({ root: new HostRoot(rootDir) });
  const failures: string[] = [];
  try {
    for (const { sql, write } of statements) {
      const what = JSON.stringify(sql.slice(0, 80));
      let error: unknown;
      await within(10_000, what, async () => {
        try { await engine.query(sql, { maxRows: 10_000 }); } catch (err) { error = err; }
      });
      if (error !== undefined && !(error instanceof SpyglassError)) { failures.push(`${what}: threw ${(error as Error)?.stack ?? error}`); continue; }
      if (error instanceof SpyglassError) assertNoStackTrace(error.message, what);
      if (write && error === undefined) failures.push(`${what}: a write was run`);
    }
  } finally {
    engine.close();
  }
  assert.deepEqual(failures, []);
  assert.equal(fs.existsSync('/tmp/spyglass-evil.db'), false, 'nothing was attached or written');
});

test('spyglass query: a recursive CTE stops at --timeout, a huge result at --max-rows; exit 2, a message, no stack trace', { timeout: 60_000 }, async () => {
  const [forever, huge] = await Promise.all([
    runCli(['query', '--root', rootDir, '--timeout', '2s', 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c'], { limitMs: 30_000 }),
    runCli(['query', '--root', rootDir, '--max-rows', '1000', 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x FROM c'], { limitMs: 30_000 }),
  ]);
  assertRun(forever, { code: 2, limitMs: 20_000 }, 'query --timeout');
  assert.match(forever.stderr, /wall-time limit.*--timeout/);
  assertRun(huge, { code: 2, limitMs: 20_000 }, 'query --max-rows');
  assert.match(huge.stderr, /more than 1000 rows.*--max-rows/);
});
