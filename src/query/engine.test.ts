/** The engine against fixture roots: pushdown, LIKE globs, required constraints, read-only, errors. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { HostRoot } from '../core/host-root.js';
import { SpyglassError } from '../core/errors.js';
import { buildFixtureRoot, type FixtureRoot } from '../../test/helpers/fixture-root.js';
import { QueryEngine } from './engine.js';
import { renderSqlError } from './sql-errors.js';
import type { Table } from './table.js';

let fixture: FixtureRoot;
let engine: QueryEngine;

before(async () => {
  fixture = await buildFixtureRoot({
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice,,,:/home/alice:/bin/zsh\nbob:x:1001:1001::/home/bob:/usr/sbin/nologin\n',
    '/etc/os-release': 'NAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian\nVERSION_CODENAME=bookworm\n',
    '/etc/debian_version': '12.7\n',
    '/etc/ssh/sshd_config': { content: 'PermitRootLogin no\n', mode: 0o600 },
    '/etc/ssh/ssh_config': 'Host *\n',
    '/etc/ssh/sshd_config.d/hardening.conf': 'X11Forwarding no\n',
    '/etc/hostname': 'fixture-host\n',
    '/etc/alternatives/editor': { symlink: '/usr/bin/vim.basic' },
    '/usr/bin/vim.basic': 'not really vim\n',
    '/var/empty': { dir: true, mode: 0o755 },
  });
  engine = new QueryEngine({ root: new HostRoot(fixture.dir) });
});

after(async () => {
  engine.close();
  await fixture.cleanup();
});

const rows = async (sql: string) => QueryEngine.rowObjects(await engine.query(sql));

async function queryError(sql: string): Promise<SpyglassError> {
  try {
    await engine.query(sql);
  } catch (err) {
    assert.ok(err instanceof SpyglassError, `expected a SpyglassError, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected ${sql} to fail`);
}

test('file: path = reads one file; path is a visible column with the file\'s facts', async () => {
  const r = await rows("SELECT * FROM file WHERE path = '/etc/ssh/sshd_config'");
  assert.equal(r.length, 1);
  assert.equal(r[0]!.path, '/etc/ssh/sshd_config');
  assert.equal(r[0]!.directory, '/etc/ssh');
  assert.equal(r[0]!.filename, 'sshd_config');
  assert.equal(r[0]!.mode, '0600');
  assert.equal(r[0]!.size, 'PermitRootLogin no\n'.length);
  assert.equal(r[0]!.type, 'regular');
  assert.ok(!('pid_with_namespace' in r[0]!), 'hidden columns stay out of SELECT *');
});

test('file: directory = lists one level, each row with its own path', async () => {
  const r = await rows("SELECT path, directory, type FROM file WHERE directory = '/etc/ssh'");
  assert.deepEqual(r.map((x) => x.path), ['/etc/ssh/ssh_config', '/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d']);
  assert.ok(r.every((x) => x.directory === '/etc/ssh'));
  assert.equal(r[2]!.type, 'directory');
});

test('file: IN lists, LIKE with % (one level) and %% (any depth), and OR of path and directory', async () => {
  assert.deepEqual((await rows("SELECT path FROM file WHERE path IN ('/etc/hostname', '/etc/passwd', '/nope')")).map((x) => x.path), ['/etc/hostname', '/etc/passwd']);
  assert.deepEqual((await rows("SELECT path FROM file WHERE path LIKE '/etc/ssh/%'")).map((x) => x.path), ['/etc/ssh/ssh_config', '/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d']);
  assert.deepEqual((await rows("SELECT path FROM file WHERE path LIKE '/etc/ssh/%%' AND type = 'regular'")).map((x) => x.path), ['/etc/ssh/ssh_config', '/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d/hardening.conf']);
  assert.deepEqual((await rows("SELECT path FROM file WHERE path LIKE '/etc/ssh/%.conf'")).map((x) => x.path), [], "% stays within one level, as osquery's");
  assert.deepEqual((await rows("SELECT path FROM file WHERE path LIKE '/etc/%/%.conf'")).map((x) => x.path), [], 'sshd_config.d is two levels down');
  assert.deepEqual((await rows("SELECT path FROM file WHERE path = '/etc/hostname' OR directory = '/var'")).map((x) => x.path).sort(), ['/etc/hostname', '/var/empty']);
});

test('file: a symlink inside a non-live root resolves inside the root', async () => {
  const [r] = await rows("SELECT symlink, type, symlink_target_path, size FROM file WHERE path = '/etc/alternatives/editor'");
  assert.equal(r!.symlink, 1);
  assert.equal(r!.type, 'regular');
  assert.equal(r!.symlink_target_path, '/usr/bin/vim.basic');
  assert.equal(r!.size, 'not really vim\n'.length);
});

test('file and hash without path or directory fail with osquery\'s kind of error, before any scan', async () => {
  for (const t of ['file', 'hash']) {
    const err = await queryError(`SELECT * FROM ${t}`);
    assert.equal(err.code, 'constraint_required');
    assert.match(err.message, /needs a constraint on "path" or "directory"/);
  }
  // a condition that does not constrain path/directory does not count
  assert.equal((await queryError("SELECT * FROM file WHERE size > 10")).code, 'constraint_required');
});

test('hash: digests match node:crypto; joins push each outer value down', async () => {
  const content = 'PermitRootLogin no\n';
  const [h] = await rows("SELECT md5, sha1, sha256 FROM hash WHERE path = '/etc/ssh/sshd_config'");
  assert.equal(h!.sha256, crypto.createHash('sha256').update(content).digest('hex'));
  assert.equal(h!.sha1, crypto.createHash('sha1').update(content).digest('hex'));
  assert.equal(h!.md5, crypto.createHash('md5').update(content).digest('hex'));
  const joined = await rows("SELECT f.path, h.sha256 FROM file f JOIN hash h ON h.path = f.path WHERE f.directory = '/etc/ssh' AND f.type = 'regular'");
  assert.deepEqual(joined.map((x) => x.path), ['/etc/ssh/ssh_config', '/etc/ssh/sshd_config']);
  assert.equal(joined[1]!.sha256, h!.sha256);
  const viaSubquery = await rows("SELECT path FROM hash WHERE path IN (SELECT path FROM file WHERE directory = '/etc/ssh' AND type = 'regular') ORDER BY path");
  assert.deepEqual(viaSubquery.map((x) => x.path), ['/etc/ssh/ssh_config', '/etc/ssh/sshd_config'], 'IN (subquery) pushes each value');
});

test('users: column order is osquery\'s; = pushes down, other operators are filtered by SQLite', async () => {
  const r = await engine.query("SELECT * FROM users WHERE uid = 1000");
  assert.deepEqual(r.columns.map((c) => c.name), ['uid', 'gid', 'uid_signed', 'gid_signed', 'username', 'description', 'directory', 'shell', 'uuid']);
  assert.deepEqual(r.columns.map((c) => c.type), ['BIGINT', 'BIGINT', 'BIGINT', 'BIGINT', 'TEXT', 'TEXT', 'TEXT', 'TEXT', 'TEXT']);
  assert.equal(QueryEngine.rowObjects(r)[0]!.username, 'alice');
  assert.deepEqual((await rows('SELECT username FROM users WHERE uid >= 1000 ORDER BY uid')).map((x) => x.username), ['alice', 'bob']);
  assert.deepEqual((await rows("SELECT username FROM users WHERE uid = 0 OR username = 'bob'")).map((x) => x.username), ['root', 'bob']);
  assert.deepEqual((await rows("SELECT username FROM users WHERE uid = '1001'")).map((x) => x.username), ['bob'], 'a text value for an integer column matches as SQLite would');
  assert.deepEqual((await rows('SELECT username FROM users WHERE uid IN (0, 1001) ORDER BY uid')).map((x) => x.username), ['root', 'bob']);
});

test('os_version reads os-release and debian_version under the root', async () => {
  const [v] = await rows('SELECT * FROM os_version');
  assert.equal(v!.platform, 'debian');
  assert.equal(v!.major, 12);
  assert.equal(v!.minor, 7);
  assert.equal(v!.codename, 'bookworm');
  assert.equal(v!.arch, null, 'the architecture of an image is not known from its files');
});

test('live-only tables yield nothing, with a warning, on a non-live root', async () => {
  const r = await engine.query('SELECT * FROM processes');
  assert.equal(r.rows.length, 0);
  assert.match(r.warnings.join('\n'), /processes: describes the running system; empty on the non-live root/);
});

test('queries are read-only', async () => {
  for (const sql of ["INSERT INTO users VALUES (1)", "ATTACH DATABASE '/tmp/x.db' AS x", 'CREATE TEMP TABLE t(a)', 'PRAGMA query_only = 0', 'PRAGMA writable_schema = 1', 'DELETE FROM users', 'BEGIN', "WITH a AS (SELECT 1) INSERT INTO users SELECT * FROM a"]) {
    const err = await queryError(sql);
    assert.equal(err.code, 'read_only', sql);
    assert.match(err.message, /read-only/);
  }
  assert.equal((await rows('PRAGMA table_info(users)')).length, 9, 'schema pragmas still work');
  assert.equal((await rows('PRAGMA table_xinfo(users)')).length, 11, 'hidden columns are there for those who ask');
  assert.equal((await queryError("SELECT load_extension('/tmp/x.so')")).code, 'sql_error');
});

test('syntax errors point at the token; unknown tables and columns suggest the nearest names', async () => {
  const syntax = await queryError('SELECT uid\nFROM users WHERE uid = 1 ORDER uid');
  assert.equal(syntax.code, 'sql_syntax');
  assert.deepEqual([syntax.context.line, syntax.context.column], [2, 32]);
  assert.equal(renderSqlError(syntax, 'SELECT uid\nFROM users WHERE uid = 1 ORDER uid').split('\n').slice(1).join('\n'), 'FROM users WHERE uid = 1 ORDER uid\n                               ^^^');
  // the second "from" is the bad one
  const twice = await queryError('SELECT (SELECT 1 from users) from from users');
  assert.equal(twice.context.column, 35);
  const table = await queryError('SELECT * FROM proceses');
  assert.equal(table.code, 'unknown_table');
  assert.match(table.message, /did you mean processes/);
  const column = await queryError('SELECT usrname FROM users');
  assert.equal(column.code, 'unknown_column');
  assert.match(column.message, /did you mean username/);
  assert.equal(column.context.column, 8);
});

test('a generator error reaches the caller as a SpyglassError with the table named', async () => {
  const broken: Table = {
    spec: { name: 'broken', description: 'fails', columns: [{ name: 'a', type: 'TEXT', description: '' }] },
    *generate() { throw new Error('disk on fire'); },
  };
  const e = new QueryEngine({ loaders: {}, tables: [broken] });
  await assert.rejects(e.query('SELECT * FROM broken'), (err: unknown) => err instanceof SpyglassError && err.context.table === 'broken' && /disk on fire/.test(err.message));
  e.close();
});

test("osquery's SQL functions: split, regex_match, regex_split, inet_aton, base64", async () => {
  const [r] = await rows("SELECT split('a:b::c', ':', 2) AS s, regex_match('sshd: 10.0.0.1 port 22', '(\\d+\\.\\d+\\.\\d+\\.\\d+) port (\\d+)', 2) AS m, regex_split('a1b22c', '\\d+', 1) AS rs, inet_aton('10.0.0.1') AS ip, to_base64('hi') AS b, from_base64('aGk=') AS d, conditional_to_base64('plain') AS c, split('abc', ':', 5) AS none");
  assert.deepEqual(r, { s: 'c', m: '22', rs: 'b', ip: 167772161, b: 'aGk=', d: 'hi', c: 'plain', none: null });
});

test('a table module that fails to load is an error naming it; the other tables still load', async () => {
  const ok: Table = { spec: { name: 'fine', description: '', columns: [{ name: 'a', type: 'INTEGER', description: '' }] }, *generate() { yield { a: 1 }; } };
  const e = new QueryEngine({ loaders: { broken: () => Promise.reject(new Error('SyntaxError in module')), fine: async () => ({ table: ok }) } });
  await assert.rejects(e.query('SELECT * FROM broken'), (err: unknown) => err instanceof SpyglassError && err.code === 'table_module' && err.context.table === 'broken');
  const failures = await e.loadAllTables();
  assert.deepEqual(failures.map((f) => f.context.table), ['broken']);
  assert.deepEqual((await e.query('SELECT a FROM fine')).rows, [[1]]);
  e.close();
});

test('selector columns get the literal values of the statement even where SQLite cannot push them down', async () => {
  const seen: Array<string[] | undefined> = [];
  const packages: Table = {
    spec: {
      name: 'packages_in',
      description: 'rows from the directory asked for, or from /default',
      columns: [
        { name: 'name', type: 'TEXT', description: '' },
        { name: 'directory', type: 'TEXT', description: '', index: true, selector: true },
      ],
    },
    *generate(ctx) {
      const dirs = ctx.equalsValues('directory')?.map(String);
      seen.push(dirs);
      for (const d of dirs ?? ['/default']) yield { name: `pkg-in-${d}`, directory: d };
    },
  };
  const e = new QueryEngine({ loaders: {}, tables: [packages] });
  assert.deepEqual((await e.query("SELECT name FROM packages_in WHERE directory = '/srv/app'")).rows, [['pkg-in-/srv/app']]);
  assert.deepEqual(seen.at(-1), ['/srv/app']);
  assert.deepEqual((await e.query('SELECT name FROM packages_in')).rows, [['pkg-in-/default']]);
  // a hint from one OR branch widens the read; SQLite applies the real condition
  assert.deepEqual((await e.query("SELECT name FROM packages_in WHERE directory = '/a' OR directory = '/b' ORDER BY name")).rows, [['pkg-in-/a'], ['pkg-in-/b']]);
  e.close();
});
