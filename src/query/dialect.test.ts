/**
 * osquery's SQL dialect, as packs write it: double-quoted string literals (osquery's SQLite
 * keeps the legacy DQS rule: a double-quoted name that is no column is a string) and table
 * aliases (`hosts` for etc_hosts). Run against a fixture root with real table modules.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HostRoot } from '../core/host-root.js';
import { buildFixtureRoot, type FixtureRoot } from '../../test/helpers/fixture-root.js';
import { QueryEngine } from './engine.js';
import { doubleQuotedAsLiteral } from './sql-tokens.js';

let fixture: FixtureRoot;
let engine: QueryEngine;

before(async () => {
  fixture = await buildFixtureRoot({
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/home/alice:/bin/zsh\nrunning:x:1001:1001::/home/running:/bin/bash\n',
    '/etc/hosts': '127.0.0.1 localhost\n::1 localhost ip6-localhost\n10.1.2.3 build.internal build\n',
    '/etc/ssh/sshd_config': 'PermitRootLogin no\n',
  });
  engine = new QueryEngine({ root: new HostRoot(fixture.dir) });
});

after(async () => {
  engine.close();
  await fixture.cleanup();
});

const rows = async (sql: string) => QueryEngine.rowObjects(await engine.query(sql));

test('double-quoted literals: a name that is no column is a string, as in osquery', async () => {
  assert.deepEqual((await rows('SELECT username FROM users WHERE shell = "/bin/bash" ORDER BY uid')).map((r) => r.username), ['root', 'running']);
  assert.deepEqual((await rows('SELECT username FROM users WHERE username IN ("alice", "nobody")')).map((r) => r.username), ['alice']);
  assert.deepEqual((await rows('SELECT username FROM users WHERE directory LIKE "/home/%" ORDER BY uid')).map((r) => r.username), ['alice', 'running']);
  assert.deepEqual(await rows('SELECT "it\'s" AS quote, "a""b" AS doubled'), [{ quote: "it's", doubled: 'a"b' }]);
});

test('double-quoted names that are columns, tables or aliases stay identifiers', async () => {
  // "username" is a column: compared with itself, every row matches
  assert.equal((await rows('SELECT * FROM users WHERE "username" = "username"')).length, 3);
  assert.deepEqual(await rows('SELECT "uid" FROM "users" WHERE "username" = "alice"'), [{ uid: 1000 }]);
  assert.deepEqual(await rows('SELECT u."uid" FROM users AS "u" WHERE u."username" = "root"'), [{ uid: 0 }]);
  // a user named like the column's value: the literal is the string, not a column
  assert.deepEqual(await rows('SELECT uid FROM users WHERE username = "running"'), [{ uid: 1001 }]);
  // a column alias of a subquery is a column of the outer query
  assert.deepEqual(await rows('SELECT "who" FROM (SELECT username AS "who" FROM users) WHERE "who" = "alice"'), [{ who: 'alice' }]);
});

test('double-quoted literals reach required columns (the file table reads the one path)', async () => {
  const r = await rows('SELECT path, size FROM file WHERE path = "/etc/ssh/sshd_config"');
  assert.deepEqual(r, [{ path: '/etc/ssh/sshd_config', size: 'PermitRootLogin no\n'.length }]);
  const h = await rows('SELECT count(*) AS n FROM hash WHERE path IN ("/etc/passwd", "/etc/hosts")');
  assert.deepEqual(h, [{ n: 2 }]);
});

test('an expression column made of a double-quoted literal keeps its name as written', async () => {
  const r = await engine.query('SELECT "abc", 1');
  assert.deepEqual(r.columns.map((c) => c.name), ['"abc"', '1']);
  assert.deepEqual(r.rows, [['abc', 1]]);
});

test('a double-quoted name of a missing column after a qualifier is still an unknown column', async () => {
  await assert.rejects(engine.query('SELECT u."nope" FROM users u'), /no such column|nope/);
});

test('doubleQuotedAsLiteral rewrites only double-quoted tokens with that value', () => {
  assert.equal(doubleQuotedAsLiteral('SELECT "x", \'x\', `x`, [x], t."x" FROM t WHERE a = "x"', 'x'), 'SELECT \'x\', \'x\', `x`, [x], t."x" FROM t WHERE a = \'x\'');
  assert.equal(doubleQuotedAsLiteral('SELECT "it\'s"', "it's"), "SELECT 'it''s'");
  assert.equal(doubleQuotedAsLiteral('SELECT "y" -- "x"', 'x'), undefined);
});

test('table aliases: hosts is etc_hosts, with its visible columns, in joins and with qualifiers', async () => {
  assert.deepEqual(await rows('SELECT * FROM hosts WHERE address = "10.1.2.3"'), [{ address: '10.1.2.3', hostnames: 'build.internal build' }]);
  const joined = await rows("SELECT h.address, e.hostnames FROM hosts h JOIN etc_hosts e USING (address) WHERE h.hostnames LIKE '%localhost%' ORDER BY h.address");
  assert.deepEqual(joined.map((r) => r.address), ['127.0.0.1', '::1']);
  assert.deepEqual((await engine.query('SELECT * FROM hosts')).columns.map((c) => c.name), ['address', 'hostnames']);
  assert.ok(!engine.tableNames().includes('hosts'), 'an alias is not listed as a table of its own');
});

test('an alias of a table this build lacks is an unknown table', async () => {
  await assert.rejects(engine.query('SELECT * FROM configurations'), /no such table|configurations/);
});
