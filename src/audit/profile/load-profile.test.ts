/** Profile loader: valid profiles, includes, and every kind of problem reported at file:line:column. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatError } from '../../core/errors.js';
import { loadProfile, sectionFor } from './load-profile.js';
import { loadExceptionsFile, findException } from './exceptions.js';
import { nearestNames } from '../../core/nearest-names.js';

async function withDir(files: Record<string, string>, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spyglass-profile-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      await fsp.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await fsp.writeFile(path.join(dir, name), text);
    }
    await fn(dir);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

const GOOD = `id: test-profile
title: Test
version: 1
benchmark: { name: CIS Debian Linux 12 Benchmark, version: 1.1.0 }
targets: [{ os: debian, versions: ["12"] }]
sections:
  "5.2": SSH server
include:
  - lib/common.yaml
controls:
  - id: 5.2.1
    title: sshd_config is root-only
    level: 1
    severity: high
    references: { cis: [5.2.1], nist_800_53: [AC-3] }
    checks:
      - type: file
        path: /etc/ssh/sshd_config
        owner: root
        mode: "0600"
exceptions:
  - control: 5.2.1
    reason: accepted
    expires: 2030-01-31
`;
const LIB = `controls:
  - id: 6.1.1
    title: passwd mode
    checks:
      - type: file
        path: /etc/passwd
        mode: "0644"
  - id: 6.1.2
    title: not wanted
    checks:
      - { type: file, path: /etc/group }
`;

test('a valid profile loads with defaults, sections, includes and exceptions', async () => {
  await withDir({ 'p.yaml': GOOD, 'lib/common.yaml': LIB }, async (dir) => {
    const { profile, errors } = await loadProfile(path.join(dir, 'p.yaml'));
    assert.deepEqual(errors.map(formatError), []);
    assert.ok(profile);
    assert.equal(profile.version, '1');
    assert.deepEqual(profile.controls.map((c) => [c.id, c.section]), [['5.2.1', '5.2'], ['6.1.1', '6'], ['6.1.2', '6']]);
    const c = profile.controls[0]!;
    assert.equal(c.condition, 'all');
    assert.equal(c.checks[0]!.exists, true, 'check defaults applied');
    assert.equal(c.source.line, 11);
    assert.equal(profile.controls[1]!.source.file, path.join(dir, 'lib/common.yaml'));
    assert.equal(profile.exceptions[0]!.expires, '2030-01-31');
    assert.equal(profile.files.length, 2);
  });
});

test('include with a controls filter takes only matching controls', async () => {
  const p = GOOD.replace('  - lib/common.yaml', '  - { path: lib/common.yaml, controls: ["6.1.1"] }');
  await withDir({ 'p.yaml': p, 'lib/common.yaml': LIB }, async (dir) => {
    const { profile } = await loadProfile(path.join(dir, 'p.yaml'));
    assert.deepEqual(profile?.controls.map((c) => c.id), ['5.2.1', '6.1.1']);
  });
});

test('every problem is reported with file:line:column, profile and control', async () => {
  const bad = `id: bad-profile
title: Bad
version: "1"
controls:
  - id: "1.1"
    title: unknown type
    checks:
      - type: fiel
        path: /etc/x
  - id: "1.2"
    checks:
      - type: file_content
        path: /etc/x
        pattern: "([a-z"
  - id: "1.1"
    title: duplicate
    colour: red
    checks:
      - { type: file, path: relative/path }
`;
  await withDir({ 'bad.yaml': bad }, async (dir) => {
    const file = path.join(dir, 'bad.yaml');
    const { profile, errors } = await loadProfile(file);
    assert.equal(profile, undefined);
    const lines = errors.map(formatError);
    const has = (re: RegExp) => assert.ok(lines.some((l) => re.test(l)), `expected ${re} in:\n${lines.join('\n')}`);
    has(new RegExp(`^${file}:8:15: controls\\.0\\.checks\\.0\\.type: unknown check type "fiel" \\(did you mean "file".*\\[profile bad-profile, control 1\\.1`));
    has(new RegExp(`^${file}:10:5: controls\\.1\\.title: missing required field.*control 1\\.2`));
    has(new RegExp(`^${file}:14:18: controls\\.1\\.checks\\.0\\.pattern: invalid regular expression.*control 1\\.2, check file_content`));
    has(new RegExp(`^${file}:17:13: controls\\.2\\.colour: unknown field`));
    has(/path must be an absolute host path/);
    assert.ok(errors.every((e) => e.context.file === file && typeof e.context.line === 'number'));
  });
});

test('a misspelt field gets the nearest known names', async () => {
  const text = 'id: typo\ntitle: T\nversion: 1\ncontrols:\n  - id: a\n    title: x\n    severty: high\n    checks:\n      - { type: file_content, path: /etc/x, patern: y, pattern: z }\n';
  await withDir({ 'typo.yaml': text }, async (dir) => {
    const msgs = (await loadProfile(path.join(dir, 'typo.yaml'))).errors.map(formatError).join('\n');
    assert.match(msgs, /typo\.yaml:7:14: controls\.0\.severty: unknown field \(did you mean "severity"\?\)/);
    assert.match(msgs, /typo\.yaml:9:\d+: controls\.0\.checks\.0\.patern: unknown field \(did you mean "pattern"/);
  });
});

test('duplicate control ids across an include name both places', async () => {
  const lib = `controls:\n  - id: 5.2.1\n    title: again\n    checks: [{ type: file, path: /etc/a }]\n`;
  await withDir({ 'p.yaml': GOOD, 'lib/common.yaml': lib }, async (dir) => {
    const { errors } = await loadProfile(path.join(dir, 'p.yaml'));
    const text = errors.map(formatError).join('\n');
    assert.match(text, /common\.yaml:2:9: duplicate control id "5\.2\.1" \(first defined at .*p\.yaml:11:9\)/);
  });
});

test('YAML syntax errors, missing files and include cycles are errors, not crashes', async () => {
  await withDir({ 'syntax.yaml': 'id: x\ntitle: [unclosed\n', 'a.yaml': 'id: a\ntitle: A\nversion: 1\ninclude: [b.yaml]\n', 'b.yaml': 'include: [b.yaml]\ncontrols: []\n' }, async (dir) => {
    const s = await loadProfile(path.join(dir, 'syntax.yaml'));
    assert.equal(s.errors[0]?.code, 'yaml_syntax');
    assert.ok(s.errors[0]?.context.line);
    await fsp.writeFile(path.join(dir, 'empty.yaml'), '# nothing yet\n');
    assert.match(formatError((await loadProfile(path.join(dir, 'empty.yaml'))).errors[0]!), /empty\.yaml: the file is empty/);
    const m = await loadProfile(path.join(dir, 'missing.yaml'));
    assert.match(formatError(m.errors[0]!), /missing\.yaml: cannot read profile: no such file/);
    const c = await loadProfile(path.join(dir, 'a.yaml'));
    assert.match(c.errors.map(formatError).join('\n'), /b\.yaml:1:11: include cycle: .*b\.yaml -> b\.yaml/);
  });
});

test('an exception naming no control of the profile is an error', async () => {
  await withDir({ 'p.yaml': GOOD.replace('control: 5.2.1', 'control: 9.9.9'), 'lib/common.yaml': LIB }, async (dir) => {
    const { errors } = await loadProfile(path.join(dir, 'p.yaml'));
    assert.match(formatError(errors[0]!), /p\.yaml:22:5: exception names control "9\.9\.9"/);
  });
});

test('exceptions file: live, expired, profile-scoped, globbed', async () => {
  const text = `exceptions:
  - { control: "1.1.*", reason: legacy mounts, expires: 2026-01-31 }
  - { control: 5.2.1, reason: bastion, profile: other }
  - { control: 6.1.1, reason: forever }
`;
  await withDir({ 'ex.yaml': text, 'bad.yaml': 'exceptions:\n  - { control: 1, why: x }\n' }, async (dir) => {
    const { exceptions, errors } = await loadExceptionsFile(path.join(dir, 'ex.yaml'));
    assert.deepEqual(errors, []);
    assert.equal(findException('p', '1.1.2', exceptions, new Date('2026-01-31T23:00:00Z'))?.live, true, 'the expiry day itself is still covered');
    assert.equal(findException('p', '1.1.2', exceptions, new Date('2026-02-01T00:00:01Z'))?.live, false);
    assert.equal(findException('p', '5.2.1', exceptions, new Date()), undefined);
    assert.equal(findException('other', '5.2.1', exceptions, new Date())?.live, true);
    assert.equal(findException('p', '6.1.1', exceptions, new Date())?.exception.reason, 'forever');
    const bad = await loadExceptionsFile(path.join(dir, 'bad.yaml'));
    const msgs = bad.errors.map(formatError).join('\n');
    assert.match(msgs, /bad\.yaml:2:\d+: exceptions\.0\.reason/);
    assert.match(msgs, /bad\.yaml:2:\d+: exceptions\.0\.why: unknown field/);
  });
});

test('nearest names and sections', () => {
  assert.deepEqual(nearestNames('sysctrl', ['sysctl', 'service', 'file']), ['sysctl']);
  assert.deepEqual(nearestNames('kernel', ['kernel_module', 'mount']), ['kernel_module']);
  assert.deepEqual(nearestNames('zzzzzz', ['file']), []);
  assert.equal(sectionFor('5.2.10', { '5': 'Access', '5.2': 'SSH' }), '5.2');
  assert.equal(sectionFor('6.1.1', { '5.2': 'SSH' }), '6');
});
