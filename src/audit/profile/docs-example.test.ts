/** The example profile and exceptions file in docs/profile-format.md validate as written. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatError } from '../../core/errors.js';
import { loadExceptionsFile } from './exceptions.js';
import { loadProfile } from './load-profile.js';
import { packageRoot } from './shipped-profiles.js';

test('docs/profile-format.md examples validate', async () => {
  const doc = readFileSync(path.join(packageRoot(), 'docs/profile-format.md'), 'utf8');
  const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.equal(blocks.length, 2);
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spyglass-doc-'));
  try {
    await fsp.mkdir(path.join(dir, 'lib'));
    await fsp.writeFile(path.join(dir, 'lib/ssh-controls.yaml'), 'controls:\n  - id: 5.2.9\n    title: no empty passwords\n    checks: [{ type: config, format: sshd, key: PermitEmptyPasswords, value: "no" }]\n');
    await fsp.writeFile(path.join(dir, 'lib/accounts.yaml'), 'controls:\n  - id: 6.2.10\n    title: only root has uid 0\n    checks: [{ type: accounts, rule: only_root_uid_0 }]\n  - id: 7.1\n    title: left out by the filter\n    checks: [{ type: accounts, rule: root_gid_0 }]\n');
    await fsp.writeFile(path.join(dir, 'profile.yaml'), blocks[0]!);
    await fsp.writeFile(path.join(dir, 'exceptions.yaml'), blocks[1]!);
    const { profile, errors } = await loadProfile(path.join(dir, 'profile.yaml'));
    assert.deepEqual(errors.map(formatError), []);
    assert.deepEqual(profile!.controls.map((c) => c.id), ['5.2.7', '2.2.2', '5.2.9', '6.2.10']);
    const ex = await loadExceptionsFile(path.join(dir, 'exceptions.yaml'));
    assert.deepEqual(ex.errors.map(formatError), []);
    assert.equal(ex.exceptions.length, 2);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
});
