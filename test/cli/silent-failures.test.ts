/**
 * Issue 19, "wrong answers and silent failures": each mistake a user makes on the command line
 * either does what was asked or ends with exit 2 and a message, never a quiet exit 0.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildFixtureRoot, type FixtureRoot } from '../helpers/fixture-root.js';
import { weakTree } from '../audit/debian-12-fixtures.js';
import { debianRoot, writeTracker } from '../../src/vuln/vuln-fixtures.test-helpers.js';
import { spyglass } from './spyglass-process.js';

const STARTER = 'cis-debian-12-starter';
let weak: FixtureRoot;
let work: string;

before(async () => {
  weak = await buildFixtureRoot(weakTree());
  work = await fsp.mkdtemp(path.join(weak.dir, '..', 'spyglass-cli-mistakes-'));
});
after(async () => {
  await weak?.cleanup();
  if (work) await fsp.rm(work, { recursive: true, force: true });
});

const audit = (...args: string[]) => spyglass(['audit', '--profile', STARTER, '--root', weak.dir, '--controls', '5.2.*', ...args], { cwd: work });

test('every --output is written: -o junit=FILE beside a plain -o out.csv, in either order', () => {
  for (const [n, args] of [[1, ['-o', 'junit=results1.xml', '-o', 'out1.csv']], [2, ['-o', 'out2.csv', '-o', 'junit=results2.xml']]] as const) {
    const r = audit(...args);
    assert.equal(r.code, 1, r.stderr);
    assert.match(readFileSync(path.join(work, `results${n}.xml`), 'utf8'), /<testsuite /);
    assert.match(readFileSync(path.join(work, `out${n}.csv`), 'utf8'), /^profile,id,title/);
    assert.match(r.stderr, /wrote junit report/);
    assert.match(r.stderr, /wrote csv report/);
  }
});

test('-o with an extension no format has, and no --format, is an error (nothing written)', () => {
  const r = audit('-o', 'report.pdf');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--output report\.pdf: no report format has the extension/);
  assert.equal(existsSync(path.join(work, 'report.pdf')), false);
});

test('--tags, --skip-tags, --controls globs matching no control exit 2 and name the glob', () => {
  for (const [option, glob] of [['--tags', 'nosuch'], ['--skip-tags', 'filesytem-scan'], ['--controls', '9.9.*']] as const) {
    const r = spyglass(['audit', '--profile', STARTER, '--root', weak.dir, option, glob!]);
    assert.equal(r.code, 2, `${option} ${glob}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`${option} ${glob!.replace(/[.*]/g, '\\$&')}: matches no control`));
    assert.equal(r.stdout, '', 'nothing audited');
  }
  const together = spyglass(['audit', '--profile', STARTER, '--root', weak.dir, '--controls', '5.2.7', '--tags', 'CIS-1.*']);
  assert.equal(together.code, 2, 'each glob matches, together nothing');
  assert.match(together.stderr, /no control matched the filters together/);
});

test('an exceptions entry that covers no control exits 2 with its file:line', async () => {
  const ex = path.join(work, 'typo-exceptions.yaml');
  await fsp.writeFile(ex, 'exceptions:\n  - { control: "5.2.7", reason: bastion }\n  - { control: "5.2.77", reason: typo }\n');
  const r = audit('--exceptions', ex);
  assert.equal(r.code, 2);
  assert.ok(r.stderr.includes(`${ex}:3:`), r.stderr);
  assert.match(r.stderr, /exception for control "5\.2\.77" covers no control of the audited profiles \(cis-debian-12-starter\)/);
});

test('--fail-under says the score and the threshold; the JSON result records both', () => {
  const r = audit('--fail-under', '80', '-f', 'json');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /score \d+\.\d% is under --fail-under 80: exit 1/);
  const result = JSON.parse(r.stdout);
  assert.deepEqual(result.fail_under, { threshold: 80, met: false });
  const met = audit('--fail-under', '0', '-f', 'json');
  assert.equal(met.code, 0);
  assert.match(met.stderr, /meets --fail-under 0/);
  assert.deepEqual(JSON.parse(met.stdout).fail_under, { threshold: 0, met: true });
  assert.equal(JSON.parse(audit('-f', 'json').stdout).fail_under, undefined, 'absent without --fail-under');
});

test('query, shell, schedule, vuln and fim --root a missing directory exit 2 as audit does', async () => {
  const missing = path.join(work, 'imgae');
  const pack = path.join(work, 'pack.json');
  await fsp.writeFile(pack, JSON.stringify({ queries: { one: { query: 'SELECT 1', interval: 60 } } }));
  const fimConfig = path.join(work, 'fim.yaml');
  await fsp.writeFile(fimConfig, 'watch:\n  - {path: /etc}\n');
  const runs = [
    ['query', 'SELECT username FROM users', '--root', missing],
    ['shell', '--root', missing],
    ['schedule', 'run', pack, '--state-dir', path.join(work, 'state'), '--root', missing],
    ['vuln', '--feed', pack, '--root', missing],
    ['fim', 'baseline', '-c', fimConfig, '--baseline', path.join(work, 'b.db'), '--root', missing],
  ];
  for (const args of runs) {
    const r = spyglass(args, { input: 'SELECT 1;\n' });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /--root .*imgae: no such directory/, args[0]);
    assert.equal(r.stdout, '', `${args[0]}: no empty answer`);
  }
  const file = spyglass(['query', 'SELECT 1', '--root', pack]);
  assert.equal(file.code, 2);
  assert.match(file.stderr, /not a directory/);
});

test('vuln --format json warns about a stale feed on stderr, as table and csv do', () => {
  const root = debianRoot(20);
  try {
    const feed = path.join(root.dir, 'tracker.json');
    writeTracker(feed, undefined, new Date(Date.now() - 30 * 86_400_000));
    for (const format of ['json', 'csv', 'table']) {
      const r = spyglass(['vuln', '--root', root.dir, '--feed', feed, '--format', format]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(format === 'table' ? r.stdout : r.stderr, /WARNING: feed .*tracker\.json is 30 days old, over the 7-day limit/, format);
    }
    assert.doesNotThrow(() => JSON.parse(spyglass(['vuln', '--root', root.dir, '--feed', feed, '--format', 'json']).stdout), 'stdout stays pure JSON');
  } finally {
    root.cleanup();
  }
});
