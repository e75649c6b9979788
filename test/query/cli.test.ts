/** `spyglass query | tables | shell | schedule` end to end: the CLI run as a user runs it. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFixtureRoot, type FixtureRoot } from '../helpers/fixture-root.js';

const cli = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/run-cli.ts'), ...args], { encoding: 'utf8', input, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });

let fixture: FixtureRoot;
let dir: string;
before(async () => {
  fixture = await buildFixtureRoot({
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/home/alice:/bin/zsh\n',
    '/etc/ssh/sshd_config': 'PermitRootLogin no\n',
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-cli-query-'));
});
after(async () => {
  await fixture.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('spyglass query prints table, json, jsonl and csv', () => {
  const sql = 'SELECT username, uid FROM users ORDER BY uid';
  const table = cli(['query', sql, '--root', fixture.dir]);
  assert.equal(table.status, 0, table.stderr);
  assert.equal(table.stdout, '+----------+------+\n| username | uid  |\n+----------+------+\n| root     | 0    |\n| alice    | 1000 |\n+----------+------+\n');
  const json = cli(['query', sql, '--root', fixture.dir, '--format', 'json']);
  assert.deepEqual(JSON.parse(json.stdout), [{ username: 'root', uid: 0 }, { username: 'alice', uid: 1000 }]);
  const jsonl = cli(['query', sql, '--root', fixture.dir, '--format', 'jsonl']);
  assert.deepEqual(jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l)), [{ username: 'root', uid: 0 }, { username: 'alice', uid: 1000 }]);
  const stdin = cli(['query', '-', '--root', fixture.dir, '--format', 'jsonl'], 'SELECT username\n  FROM users\n  WHERE uid = 1000;\n');
  assert.deepEqual(JSON.parse(stdin.stdout), { username: 'alice' }, 'the statement read from stdin, a trailing ";" allowed');
  const csv = cli(['query', "SELECT 'a,b' AS x, 'say \"hi\"' AS y", '--format', 'csv']);
  assert.equal(csv.stdout, 'x,y\r\n"a,b","say ""hi"""\r\n');
  const formula = cli(['query', "SELECT '=HYPERLINK(\"http://x\")' AS f, -5 AS n", '--format', 'csv']);
  assert.equal(formula.stdout, `f,n\r\n"'=HYPERLINK(""http://x"")",-5\r\n`, 'host text that would be a spreadsheet formula is defused; numbers stay numbers');
});

test('spyglass query: errors with position and suggestions, exit 2; warnings on stderr', () => {
  const syntax = cli(['query', 'SELECT * FORM users']);
  assert.equal(syntax.status, 2);
  assert.equal(syntax.stderr, 'spyglass: line 1, column 10: syntax error near "FORM"\nSELECT * FORM users\n         ^^^^\n');
  const unknown = cli(['query', 'SELECT * FROM user']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /no such table: user; did you mean users\b/);
  const required = cli(['query', 'SELECT * FROM file']);
  assert.equal(required.status, 2);
  assert.match(required.stderr, /table file needs a constraint on "path" or "directory"/);
  const write = cli(['query', "ATTACH '/tmp/x.db' AS x"]);
  assert.equal(write.status, 2);
  assert.match(write.stderr, /read-only: ATTACH is refused/);
  const live = cli(['query', 'SELECT count(*) AS n FROM processes', '--root', fixture.dir, '--format', 'json']);
  assert.equal(live.status, 0);
  assert.deepEqual(JSON.parse(live.stdout), [{ n: 0 }]);
  assert.match(live.stderr, /^warning: processes: describes the running system/);
});

test('spyglass tables lists tables and shows a schema from the spec', () => {
  const list = cli(['tables']);
  assert.equal(list.status, 0);
  assert.match(list.stdout, /^file +File metadata \(stat\) for the paths a query names: /m);
  assert.match(list.stdout, /^processes .*\(live system only\)$/m);
  const schema = cli(['tables', '--schema', 'file']);
  assert.match(schema.stdout, /needs a constraint on path or directory/);
  assert.match(schema.stdout, /^path +TEXT +required,index +Path of the file inside the root$/m);
  const json = JSON.parse(cli(['tables', '--schema', 'users', '--format', 'json']).stdout) as { columns: Array<{ name: string }> };
  assert.equal(json.columns[0]!.name, 'uid');
  const bad = cli(['tables', '--schema', 'proceses']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /did you mean processes/);
});

test('spyglass shell with piped statements: multi-line, dot-commands, modes, errors with a caret, history', () => {
  const history = path.join(dir, 'history');
  const input = [
    '.tables spyglass_i',
    '.schema users',
    'SELECT username',
    '  FROM users',
    '  WHERE uid = 1000;',
    '.mode json',
    'SELECT uid FROM users WHERE uid = 0; SELECT 2 AS two;',
    'SELECT * FROM users WHERE usrname = 1;',
    '.mode nonsense',
    '.quit',
    'SELECT 3;',
  ].join('\n') + '\n';
  const r = cli(['shell', '--root', fixture.dir, '--history', history], input);
  assert.equal(r.status, 2, 'a failed statement makes piped input exit 2');
  assert.equal(r.stdout, [
    '  => spyglass_info',
    'CREATE TABLE users(`uid` BIGINT, `gid` BIGINT, `uid_signed` BIGINT, `gid_signed` BIGINT, `username` TEXT, `description` TEXT, `directory` TEXT, `shell` TEXT, `uuid` TEXT, `pid_with_namespace` INTEGER HIDDEN, `include_remote` INTEGER HIDDEN);',
    '+----------+',
    '| username |',
    '+----------+',
    '| alice    |',
    '+----------+',
    '[',
    '  {',
    '    "uid": 0',
    '  }',
    ']',
    '[',
    '  {',
    '    "two": 2',
    '  }',
    ']',
    '',
  ].join('\n'), 'statements after .quit do not run');
  assert.equal(r.stderr, [
    'Error: line 1, column 27: no such column: usrname; did you mean username?',
    'SELECT * FROM users WHERE usrname = 1',
    '                          ^^^^^^^',
    'Error: unknown mode "nonsense" (table, line, list, csv, json, jsonl)',
    '',
  ].join('\n'));
  assert.equal(fs.readFileSync(history, 'utf8').split('\n').filter(Boolean).length, 10, 'each line entered is in the history file');
});

test('spyglass schedule run: events as JSON lines, differential on the second run; a bad pack is file:line and exit 2', () => {
  const pack = path.join(dir, 'accounts.conf');
  fs.writeFileSync(pack, JSON.stringify({ queries: { users: { query: 'SELECT username FROM users;', interval: 60 } } }));
  const stateDir = path.join(dir, 'state');
  const first = cli(['schedule', 'run', pack, '--state-dir', stateDir, '--root', fixture.dir, '--host-identifier', 'h1']);
  assert.equal(first.status, 0, first.stderr);
  const events = first.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(events.map((e) => [e.kind, e.name, e.action, (e.columns as Record<string, string>).username, e.hostIdentifier]), [
    ['query', 'pack_accounts_users', 'added', 'root', 'h1'],
    ['query', 'pack_accounts_users', 'added', 'alice', 'h1'],
  ]);
  const second = cli(['schedule', 'run', pack, '--state-dir', stateDir, '--root', fixture.dir]);
  assert.equal(second.status, 0);
  assert.equal(second.stdout, '', 'nothing changed, nothing to report');
  const stats = cli(['query', 'SELECT name, executions, denylisted FROM spyglass_schedule', '--state-dir', stateDir, '--format', 'json']);
  assert.deepEqual(JSON.parse(stats.stdout), [{ name: 'pack_accounts_users', executions: 2, denylisted: 0 }]);
  const bad = path.join(dir, 'bad.conf');
  fs.writeFileSync(bad, '{\n  "queries": {\n    "x": { "query": "select 1;", "interval": "often" }\n  }\n}\n');
  const invalid = cli(['schedule', 'validate', bad]);
  assert.equal(invalid.status, 2);
  assert.match(invalid.stderr, new RegExp(`^spyglass: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: queries\\.x\\.interval: `, 'm'));
});
