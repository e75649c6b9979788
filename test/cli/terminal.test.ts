/**
 * The table report and the help as people read them (issue 19, "the terminal"): nothing cut
 * when the output is a file or a pipe, --wide on a terminal, --status, the recap of failures
 * by severity, counts in words, help without "(default: [])", and command groups without a
 * subcommand printing their help with exit 1.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { buildFixtureRoot, type FixtureRoot } from '../helpers/fixture-root.js';
import { weakTree } from '../audit/debian-12-fixtures.js';
import { RUN_CLI, REPO, TSX_LOADER, spyglass } from './spyglass-process.js';

const STARTER = 'cis-debian-12-starter';
let weak: FixtureRoot;
let longest: { id: string; summary: string };
let counts: Record<string, number>;

before(async () => {
  weak = await buildFixtureRoot(weakTree());
  const result = JSON.parse(spyglass(['audit', '--profile', STARTER, '--root', weak.dir, '-f', 'json']).stdout);
  counts = result.summary.counts;
  longest = result.controls.reduce((a: { summary: string }, c: { summary: string }) => (c.summary.length > a.summary.length ? c : a));
  assert.ok(longest.summary.length > 100, 'a control with long evidence to look for');
});
after(async () => {
  await weak?.cleanup();
});

/** the CLI on a pseudo-terminal (script(1)), COLUMNS wide */
function onTerminal(args: string[], columns = 100): string {
  const cmd = `stty cols ${columns}; ` + [process.execPath, '--import', TSX_LOADER, RUN_CLI, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return r.stdout;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

test('to a pipe the evidence is whole; on a terminal it is cut to the width unless --wide', () => {
  const piped = spyglass(['audit', '--profile', STARTER, '--root', weak.dir, '--controls', longest.id]);
  assert.ok(piped.stdout.includes(oneLine(longest.summary)), piped.stdout);
  const cut = onTerminal(['audit', '--profile', STARTER, '--root', weak.dir, '--controls', longest.id, '--no-progress']);
  assert.ok(!cut.includes(oneLine(longest.summary)) && cut.includes('…'), cut);
  const wide = onTerminal(['audit', '--profile', STARTER, '--root', weak.dir, '--controls', longest.id, '--no-progress', '--wide']);
  assert.ok(wide.replace(/\r?\n/g, '\n').includes(oneLine(longest.summary)), wide);
});

test('--status lists only those statuses; the counts, the score and the recap cover every control', () => {
  const r = spyglass(['audit', '--profile', STARTER, '--root', weak.dir, '--status', 'n/a,error']);
  assert.equal(r.code, 1, r.stderr);
  const rows = r.stdout.split('\n').filter((l) => /^ {2}\S+ .* (PASS|FAIL|N\/A|ERROR|CONTROLLED)\b/.test(l));
  assert.ok(rows.length > 0);
  assert.equal(rows.length, counts.not_applicable! + counts.error!);
  assert.ok(rows.every((l) => /\b(ERROR|N\/A)\b/.test(l)), rows.filter((l) => !/\b(ERROR|N\/A)\b/.test(l)).join('\n'));
  assert.match(r.stdout, new RegExp(`\\(${counts.fail! + counts.pass! + counts.controlled!} controls not listed: --status not_applicable,error\\)`));
  assert.match(r.stdout, new RegExp(`^${counts.fail! + counts.pass! + counts.controlled! + counts.not_applicable! + counts.error!} controls: pass`, 'm'), 'the counts cover all');
  assert.match(r.stdout, /^Failures by severity: (\d+ (critical|high|medium|low|info)(, )?)+/m);
  const bad = spyglass(['audit', '--profile', STARTER, '--root', weak.dir, '--status', 'failed']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--status failed: not a status \(pass, fail, controlled, not_applicable, error\)/);
});

test('counts in words: "1 control", "1 query in 1 pack"', async () => {
  const one = spyglass(['audit', '--profile', STARTER, '--root', weak.dir, '--controls', '5.2.7']);
  assert.match(one.stdout, /^1 control: pass 0, fail 1/m);
  assert.match(one.stdout, /^Failures by severity: 1 high$/m);
  const pack = path.join(weak.dir, '..', `one-query-${process.pid}.json`);
  await fsp.writeFile(pack, JSON.stringify({ queries: { one: { query: 'SELECT 1', interval: 60 } } }));
  try {
    assert.match(spyglass(['schedule', 'validate', pack]).stdout, /: 1 query in 1 pack, 0 problems$/m);
  } finally {
    await fsp.rm(pack, { force: true });
  }
});

test('help: no "(default: [])"; spyglass, spyglass profiles and spyglass fim alone print help and exit 1', () => {
  for (const cmd of ['audit', 'vuln', 'profiles validate']) {
    const r = spyglass([...cmd.split(' '), '--help']);
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stdout, /default: \[\]/, cmd);
  }
  assert.match(spyglass(['audit', '--help']).stdout, /--check-timeout <seconds> .*\(default: "60"\)/s, 'real defaults stay');
  for (const group of [[], ['profiles'], ['fim']]) {
    const r = spyglass(group);
    assert.equal(r.code, 1, `spyglass ${group.join(' ')}`);
    assert.match(r.stderr, /^Usage: spyglass/m);
    assert.match(r.stderr, /^Commands:/m);
  }
  assert.equal(spyglass(['--help']).code, 0, 'asked for: a success');
});

test('-f/--format on every command with formats; tables calls its human format "table" like query (text still works)', () => {
  const table = spyglass(['tables', '-f', 'table']);
  assert.equal(table.code, 0, table.stderr);
  assert.equal(spyglass(['tables', '--format', 'text']).stdout, table.stdout);
  assert.deepEqual(JSON.parse(spyglass(['query', 'SELECT 1 AS one', '-f', 'json']).stdout), [{ one: 1 }]);
  for (const cmd of ['vuln', 'fim check']) assert.match(spyglass([...cmd.split(' '), '--help']).stdout, /-f, --format <format>/, cmd);
});
