import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/run-cli.ts'), ...args], { encoding: 'utf8' });

test('spyglass profiles keygen, sign and verify; a tampered file makes verify exit 1 naming it', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spyglass-cli-sign-'));
  const set = path.join(dir, 'set');
  spawnSync('mkdir', [set]);
  writeFileSync(path.join(set, 'debian-12.yaml'), 'profile: {}\n');
  const keygen = cli('profiles', 'keygen', '--out', path.join(dir, 'team'));
  assert.equal(keygen.status, 0, keygen.stderr);
  assert.equal(cli('profiles', 'keygen', '--out', path.join(dir, 'team')).status, 2, 'never overwrites a key');
  const sign = cli('profiles', 'sign', set, '--key', path.join(dir, 'team.key'));
  assert.equal(sign.status, 0, sign.stderr);
  assert.match(sign.stdout, /signed 1 file in/);
  const verify = cli('profiles', 'verify', set, '--trust', path.join(dir, 'team.pub'));
  assert.equal(verify.status, 0, verify.stderr);
  assert.match(verify.stdout, /: 1 file verified/);
  appendFileSync(path.join(set, 'debian-12.yaml'), '# edited\n');
  const bad = cli('profiles', 'verify', set, '--trust', path.join(dir, 'team.pub'));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /debian-12\.yaml: SHA-256 .* differs/);
});
