/**
 * `spyglass audit` and `spyglass profiles` end to end: the CLI run as a process from source
 * (node --import tsx), on fixture roots; exit codes 0 / 1 / 2, every format, --output plans,
 * exceptions, filters, and bad input reported with file:line.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFixtureRoot, type FixtureRoot } from '../helpers/fixture-root.js';
import { hardenedTree, weakTree } from './debian-12-fixtures.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO, 'test/helpers/run-cli.ts');
/** the profile these tests audit with (other shipped profiles may also target Debian 12) */
const STARTER = 'cis-debian-12-starter';

function spyglass(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '' }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let hardened: FixtureRoot;
let weak: FixtureRoot;
let work: string;

before(async () => {
  hardened = await buildFixtureRoot(hardenedTree());
  weak = await buildFixtureRoot(weakTree());
  work = await fsp.mkdtemp(path.join(hardened.dir, '..', 'spyglass-cli-'));
});

after(async () => {
  await hardened?.cleanup();
  await weak?.cleanup();
  if (work) await fsp.rm(work, { recursive: true, force: true });
});

test('default: detects Debian 12 in the root and picks the shipped profile for it; exits 0 when nothing fails (json)', () => {
  const auto = JSON.parse(spyglass('audit', '--root', hardened.dir, '--format', 'json', '--skip-tags', 'filesystem-scan').stdout);
  assert.deepEqual(auto.profiles.map((p: { id: string }) => p.id), ['cis-debian-12'], 'the full benchmark; the starter runs only when named');
  const r = spyglass('audit', '--profile', STARTER, '--root', hardened.dir, '--format', 'json', '--skip-tags', 'filesystem-scan');
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.schema_version, 1);
  assert.deepEqual(result.profiles.map((p: { id: string }) => p.id), [STARTER]);
  assert.deepEqual(result.host, { hostname: 'hardened', os: { id: 'debian', version_id: '12', pretty_name: 'Debian GNU/Linux 12 (bookworm)' }, kernel: null, root: hardened.dir, live: false });
  assert.equal(result.summary.counts.fail, 0);
  assert.equal(result.summary.score, 100);
  assert.ok(result.controls.every((c: { tags: string[] }) => !c.tags.includes('filesystem-scan')));
});

test('a failing control exits 1; the table is plain text grouped by section with the score', () => {
  const r = spyglass('audit', '--profile', STARTER, '--root', weak.dir);
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour when stdout is not a terminal');
  assert.match(r.stdout, /^5\.2 SSH server$/m);
  assert.match(r.stdout, /^ {2}5\.2\.7 +root cannot log in over SSH +FAIL +PermitRootLogin yes/m);
  assert.match(r.stdout, /Score: 0\.0% \(0 of \d+ decided controls hold\)/);
});

test('--fail-under sets the threshold instead; exceptions make failures controlled', async () => {
  assert.equal(spyglass('audit', '--profile', STARTER, '--root', weak.dir, '--fail-under', '0', '-f', 'csv').code, 0);
  const ex = path.join(work, 'exceptions.yaml');
  await fsp.writeFile(ex, 'exceptions:\n  - { control: "5.2.7", reason: break-glass host, expires: 2999-12-31 }\n  - { control: "5.2.9", reason: expired, expires: 2001-01-01 }\n');
  const r = spyglass('audit', '--profile', STARTER, '--root', weak.dir, '--controls', '5.2.7,5.2.9', '--exceptions', ex, '-f', 'json');
  assert.equal(r.code, 1, 'the expired exception fails again');
  const result = JSON.parse(r.stdout);
  const status = Object.fromEntries(result.controls.map((c: { id: string; status: string }) => [c.id, c.status]));
  assert.deepEqual(status, { '5.2.7': 'controlled', '5.2.9': 'fail' });
  assert.equal(result.summary.score, 50);
  const only = spyglass('audit', '--profile', STARTER, '--root', weak.dir, '--controls', '5.2.7', '--exceptions', ex);
  assert.equal(only.code, 0, 'a controlled failure does not fail the run');
  assert.match(only.stdout, /CONTROLLED +exception: break-glass host \(until 2999-12-31\)/);
});

test('--tags and --level select controls', () => {
  const r = spyglass('audit', '--profile', STARTER, '--root', hardened.dir, '--tags', 'CIS-5.2.*', '--level', '1', '-f', 'json');
  const ids: string[] = JSON.parse(r.stdout).controls.map((c: { id: string }) => c.id);
  assert.ok(ids.length > 10);
  assert.ok(ids.every((id) => id.startsWith('5.2.')), ids.join(' '));
  assert.ok(!ids.includes('5.2.16'), 'level 2 control left out');
});

test('several formats to files: --output base gets an extension per format; FMT=FILE binds one', () => {
  const base = path.join(work, 'report');
  const junitFile = path.join(work, 'junit-results.xml');
  const r = spyglass('audit', '--profile', STARTER, '--root', weak.dir, '-f', 'json,html,csv', '-f', 'junit', '-o', base, '-o', `junit=${junitFile}`);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  const json = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
  const html = readFileSync(`${base}.html`, 'utf8');
  const csv = readFileSync(`${base}.csv`, 'utf8');
  const junit = readFileSync(junitFile, 'utf8');
  assert.equal(json.controls.length, csv.trim().split('\r\n').length - 1);
  assert.match(csv, /^profile,id,title,section,level,severity,status,summary/);
  assert.match(junit, new RegExp(`<testsuite name="cis-debian-12-starter" tests="${json.controls.length}" failures="${json.summary.counts.fail}"`));
  assert.equal((junit.match(/<testcase /g) ?? []).length, json.controls.length);
  assert.match(html, /^<!DOCTYPE html>/);
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/i, 'self-contained: no external resource');
  assert.match(html, /Compliance audit of weak/);
  assert.match(html, /Remediation/);
});

test('bad input: missing root, bad profile with file:line:column, bad option values, no os-release', async () => {
  const missing = spyglass('audit', '--root', path.join(work, 'no-such-root'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--root .*no-such-root: no such directory/);

  const bad = path.join(work, 'bad.yaml');
  await fsp.writeFile(bad, 'id: bad\ntitle: Bad\nversion: 1\ncontrols:\n  - id: "1"\n    title: x\n    checks:\n      - type: sysctrl\n        key: kernel.x\n');
  const r = spyglass('audit', '--profile', bad, '--root', hardened.dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8:15: controls\\.0\\.checks\\.0\\.type: unknown check type "sysctrl" \\(did you mean "sysctl"`));

  assert.equal(spyglass('audit', '--profile', STARTER, '--root', hardened.dir, '--format', 'yaml').code, 2);
  assert.equal(spyglass('audit', '--profile', STARTER, '--root', hardened.dir, '--level', 'high').code, 2);

  const bare = await buildFixtureRoot({ '/etc/hostname': 'bare\n' });
  try {
    const noOs = spyglass('audit', '--root', bare.dir);
    assert.equal(noOs.code, 2);
    assert.match(noOs.stderr, /cannot detect the OS.*--profile/);
  } finally {
    await bare.cleanup();
  }
});

test('profiles list | show | validate', async () => {
  const list = spyglass('profiles', 'list');
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /cis-debian-12-starter +\S+ +debian 12 +\d+ +Debian 12 hardening starter/);
  const show = spyglass('profiles', 'show', 'cis-debian-12-starter');
  assert.equal(show.code, 0);
  assert.match(show.stdout, /^5\.2\.7 +1 +high +config +root cannot log in over SSH$/m);

  const good = path.join(REPO, 'profiles/debian-12.yaml');
  const bad = path.join(work, 'broken.yaml');
  await fsp.writeFile(bad, 'id: broken\ntitle: B\nversion: 1\ncontrols:\n  - id: a\n    title: x\n    checks:\n      - { type: file_content, path: /etc/x, pattern: "(" }\n  - id: a\n    title: y\n    checks: []\n');
  const v = spyglass('profiles', 'validate', good, bad);
  assert.equal(v.code, 2);
  assert.match(v.stdout, /debian-12\.yaml: ok \(profile cis-debian-12-starter/);
  const lines = v.stderr.trim().split('\n');
  assert.ok(lines.some((l) => /broken\.yaml:8:\d+: controls\.0\.checks\.0\.pattern: invalid regular expression/.test(l)), v.stderr);
  assert.ok(lines.some((l) => /broken\.yaml:11:\d+: controls\.1\.checks: .*\[profile broken, control a\]/.test(l)), v.stderr);
  assert.equal(spyglass('profiles', 'validate', good).code, 0);
});

test('on a terminal: a progress line while controls run, and colour (run under script(1) for a TTY)', () => {
  const cmd = [process.execPath, '--import', 'tsx', CLI, 'audit', '--profile', STARTER, '--root', weak.dir, '--controls', '5.2.*']
    .map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '' }, timeout: 120_000 });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /\r\x1b\[K\[\d+\/\d+\] 5\.2\.\d+/, 'progress line redrawn in place');
  assert.match(r.stdout, /\x1b\[31mFAIL/, 'colour on a terminal');
});
