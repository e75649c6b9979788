/**
 * Tailoring end to end: named values substituted at load (and errors at file:line for unknown
 * names), tailoring files selecting / deselecting controls and overriding values, the shipped
 * examples, and `spyglass audit --tailoring` on a fixture root.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatError } from '../../src/core/errors.js';
import { HostRoot } from '../../src/core/host-root.js';
import { runAudit } from '../../src/audit/engine.js';
import { loadProfile } from '../../src/audit/profile/load-profile.js';
import { shippedProfilesDir } from '../../src/audit/profile/shipped-profiles.js';
import { applyTailoring, loadTailoringFile } from '../../src/audit/tailoring/tailoring.js';
import { buildFixtureRoot } from '../helpers/fixture-root.js';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
function runCli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'test/helpers/run-cli.ts'), ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function tmpFiles(files: Record<string, string>): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spyglass-tailoring-'));
  for (const [name, text] of Object.entries(files)) await fsp.writeFile(path.join(dir, name), text);
  return { dir, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
}

const PROFILE = `id: p
title: p
version: "1"
values: { max_days: 365 }
include: [lib.yaml]
controls:
  - id: "1.1"
    title: max age
    tags: [aging]
    checks:
      - { type: config, format: login_defs, key: PASS_MAX_DAYS, op: le, value: { $value: max_days } }
`;
const LIB = `values: { min_len: 14 }
controls:
  - id: "2.1"
    title: length
    checks:
      - { type: config, format: keyvalue, path: /etc/security/pwquality.conf, key: minlen, op: ge, value: { $value: min_len } }
`;

test('values: defaults are substituted; overrides change them; unknown names are errors with position', async () => {
  const t = await tmpFiles({ 'p.yaml': PROFILE, 'lib.yaml': LIB, 'bad.yaml': PROFILE.replace('$value: max_days', '$value: max_dayz') });
  try {
    const r = await loadProfile(path.join(t.dir, 'p.yaml'));
    assert.deepEqual(r.errors.map(formatError), []);
    assert.equal(r.profile!.controls[0]!.checks[0]!.value, 365);
    assert.equal(r.profile!.controls[1]!.checks[0]!.value, 14);
    const o = await loadProfile(path.join(t.dir, 'p.yaml'), { values: { max_days: 90, min_len: 16 } });
    assert.equal(o.profile!.controls[0]!.checks[0]!.value, 90);
    assert.equal(o.profile!.controls[1]!.checks[0]!.value, 16);
    assert.deepEqual(o.profile!.values, { max_days: 90, min_len: 16 });
    const wrongType = await loadProfile(path.join(t.dir, 'p.yaml'), { values: { max_days: 'ninety' } });
    assert.ok(wrongType.errors.some((e) => /check config/.test(formatError(e)) || /number/.test(e.message)), wrongType.errors.map(formatError).join('\n'));
    const undeclared = await loadProfile(path.join(t.dir, 'p.yaml'), { values: { nope: 1 } });
    assert.ok(undeclared.errors.some((e) => e.code === 'unknown_value' && /"nope"/.test(e.message)));
    const bad = await loadProfile(path.join(t.dir, 'bad.yaml'));
    const err = bad.errors.find((e) => e.code === 'unknown_value')!;
    assert.ok(err, bad.errors.map(formatError).join('\n'));
    assert.match(formatError(err), /bad\.yaml:11:\d+: .*no value named "max_dayz"/);
  } finally {
    await t.cleanup();
  }
});

test('tailoring files: select, deselect by tag, values; unmatched globs and bad files are errors', async () => {
  const t = await tmpFiles({
    'p.yaml': PROFILE, 'lib.yaml': LIB,
    'ok.yaml': 'id: site\nvalues: { max_days: 90 }\ndeselect: [aging]\n',
    'sel.yaml': 'id: site\nselect: ["1.*"]\n',
    'typo.yaml': 'id: site\ndeselect: ["9.*"]\n',
    'other.yaml': 'id: site\nprofile: cis-*\n',
    'bad.yaml': 'id: site\nvalues: { max_days: 90 }\nunknown_key: 1\n',
  });
  try {
    const p = (await loadProfile(path.join(t.dir, 'p.yaml'))).profile!;
    const ok = await applyTailoring([p], (await loadTailoringFile(path.join(t.dir, 'ok.yaml'))).tailoring!);
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.profiles[0]!.controls.map((c) => c.id), ['2.1']);
    assert.match(ok.profiles[0]!.title, /tailored: site/);
    const sel = await applyTailoring([p], (await loadTailoringFile(path.join(t.dir, 'sel.yaml'))).tailoring!);
    assert.deepEqual(sel.profiles[0]!.controls.map((c) => c.id), ['1.1']);
    const typo = await applyTailoring([p], (await loadTailoringFile(path.join(t.dir, 'typo.yaml'))).tailoring!);
    assert.match(typo.errors.map((e) => e.message).join(), /"9\.\*" matches no control/);
    const other = await applyTailoring([p], (await loadTailoringFile(path.join(t.dir, 'other.yaml'))).tailoring!);
    assert.match(other.errors.map((e) => e.message).join(), /none of the audited profiles/);
    const bad = await loadTailoringFile(path.join(t.dir, 'bad.yaml'));
    assert.equal(bad.tailoring, undefined);
    assert.match(formatError(bad.errors[0]!), /bad\.yaml:\d+:\d+: .*unknown_key/);
  } finally {
    await t.cleanup();
  }
});

test('the shipped tailoring examples apply to the shipped profiles', async () => {
  const dir = path.join(shippedProfilesDir(), 'tailoring');
  const profiles = [];
  for (const f of ['cis-debian-12.yaml', 'cis-ubuntu-22.04.yaml', 'cis-ubuntu-24.04.yaml']) profiles.push((await loadProfile(path.join(shippedProfilesDir(), f))).profile!);
  for (const f of await fsp.readdir(dir)) {
    const t = await loadTailoringFile(path.join(dir, f));
    assert.deepEqual(t.errors.map(formatError), [], f);
    const r = await applyTailoring(profiles, t.tailoring!);
    assert.deepEqual(r.errors.map(formatError), [], f);
    const tailored = r.profiles.filter((p) => p.title.includes('tailored'));
    assert.ok(tailored.length >= 1, f);
    for (const p of tailored) assert.ok(p.controls.length < profiles.find((x) => x.id === p.id)!.controls.length, `${f} narrows ${p.id}`);
  }
});

test('spyglass audit --tailoring: the overridden value decides on a fixture root', async () => {
  const root = await buildFixtureRoot({
    '/etc/os-release': 'ID=debian\nVERSION_ID="12"\n',
    '/etc/login.defs': 'PASS_MAX_DAYS 200\nPASS_MIN_DAYS 1\nPASS_WARN_AGE 7\n',
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n', '/etc/group': 'root:x:0:\n', '/etc/shadow': 'root:*:19000:0:99999:7:::\n',
  });
  const t = await tmpFiles({ 'strict.yaml': 'id: strict\nselect: [password-max-age]\nvalues: { max_password_days: 180 }\n', 'loose.yaml': 'id: loose\nselect: [password-max-age]\nvalues: { max_password_days: 365 }\n' });
  try {
    const profileFile = path.join(shippedProfilesDir(), 'cis-debian-12.yaml');
    const strict = runCli(['audit', '--profile', profileFile, '--root', root.dir, '--tailoring', path.join(t.dir, 'strict.yaml'), '--format', 'json']);
    assert.equal(strict.code, 1, strict.stderr);
    const sr = JSON.parse(strict.stdout) as { controls: Array<{ id: string; status: string }> };
    assert.deepEqual(sr.controls.map((c) => [c.id, c.status]), [['5.4.1.1', 'fail']]);
    const loose = runCli(['audit', '--profile', profileFile, '--root', root.dir, '--tailoring', path.join(t.dir, 'loose.yaml'), '--format', 'json']);
    assert.equal(loose.code, 0, loose.stderr);
    const lr = JSON.parse(loose.stdout) as { controls: Array<{ id: string; status: string }> };
    assert.deepEqual(lr.controls.map((c) => [c.id, c.status]), [['5.4.1.1', 'pass']]);
    const missing = runCli(['audit', '--profile', profileFile, '--root', root.dir, '--tailoring', path.join(t.dir, 'nope.yaml')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read tailoring file/);
  } finally {
    await root.cleanup();
    await t.cleanup();
  }
});
