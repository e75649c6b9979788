/**
 * `spyglass shell` with osqueryi's habits: a one-shot statement argument, --json/--csv/--line,
 * .all TABLE and .show, and Ctrl-C on an empty prompt that asks before leaving.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { REPO, RUN_CLI, TSX_LOADER, spyglass } from './spyglass-process.js';

test('one-shot: spyglass shell "SQL" prints the result and exits; a bad statement exits 2', () => {
  const r = spyglass(['shell', 'SELECT 1 AS one', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [{ one: 1 }]);
  assert.match(spyglass(['shell', "SELECT 'a' AS x;", '--csv']).stdout, /^x\r?\na\r?\n$/);
  const bad = spyglass(['shell', 'SELECT FROM']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /syntax error/);
  assert.equal(spyglass(['shell', 'SELECT 1', '--json', '--line']).code, 2, 'one mode at a time');
});

test('.all TABLE and .show', () => {
  const r = spyglass(['shell', '--line'], { input: '.all os_version\n.show\n.all 1; drop\n' });
  assert.match(r.stdout, /^ *name = /m);
  assert.match(r.stdout, /mode: line/);
  assert.match(r.stderr, /\.all needs a table name/);
  assert.equal(r.code, 2, 'the bad .all counts as an error for piped input');
});

test('on a terminal, Ctrl-C at an empty prompt asks; a second one leaves', async () => {
  const cmd = [process.execPath, '--import', TSX_LOADER, RUN_CLI, 'shell', '--history', '/dev/null'].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (d: Buffer) => { text += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const until = async (re: RegExp) => { for (let i = 0; i < 600 && !re.test(text); i++) await new Promise((r) => setTimeout(r, 50)); assert.match(text, re); };
  await until(/spyglass> /);
  child.stdin.write('\x03');
  await until(/Ctrl-C again, \.quit or Ctrl-D to leave/);
  child.stdin.write("SELECT 'alive' AS s;\r");
  await until(/alive[\s\S]*spyglass> /);
  child.stdin.write('\x03');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(child.exitCode, null, 'a Ctrl-C after a statement asks again');
  child.stdin.write('\x03');
  assert.equal(await exited, 0, text);
});
