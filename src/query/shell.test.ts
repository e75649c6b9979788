/** The shell's line handling in process: statements across lines, tab completion. (Spawned end to end in test/query/cli.test.ts.) */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { QueryEngine } from './engine.js';
import { QueryShell } from './shell.js';

function shell() {
  const output = new PassThrough();
  const errorOutput = new PassThrough();
  let out = '';
  let err = '';
  output.on('data', (d) => (out += d));
  errorOutput.on('data', (d) => (err += d));
  const engine = new QueryEngine();
  const sh = new QueryShell({ engine, input: new PassThrough(), output, errorOutput, interactive: false, mode: 'list' });
  return { sh, engine, out: () => out, err: () => err };
}

test('a statement runs when its ";" arrives, even inside later lines; ";" in strings does not end it', async () => {
  const { sh, engine, out } = shell();
  await sh.handleLine("SELECT 'a;b' AS x,");
  assert.equal(out(), '');
  await sh.handleLine('  2 AS y; SELECT 3 AS z');
  assert.equal(out(), 'x|y\na;b|2\n');
  await sh.handleLine(';');
  assert.equal(out(), 'x|y\na;b|2\nz\n3\n');
  engine.close();
});

test('tab completion offers dot-commands, table names and the columns of loaded tables', async () => {
  const { sh, engine } = shell();
  assert.deepEqual(sh.complete('.sc'), [['.schema'], '.sc']);
  assert.deepEqual(sh.complete('SELECT * FROM proc')[0].includes('processes'), true);
  await engine.loadTables(['users']);
  assert.deepEqual(sh.complete('SELECT usern'), [['username'], 'usern']);
  engine.close();
});
