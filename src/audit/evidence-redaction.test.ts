/** Audits on a fixture root whose account and boot files hold hashes: no result carries one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { HostRoot } from '../core/host-root.js';
import { runAudit } from './engine.js';
import { loadProfile } from './profile/load-profile.js';
import { buildFixtureRoot } from '../../test/helpers/fixture-root.js';

const ROOT_HASH = '$6$Zx9salty$Ly2bXkQ0m7cW4rT1uV8nP3sD6fG9hJ2kL5zX8cV1bN4mQ7wE0rT3yU6iO9pA2sD5fG8hJ1kL4zX7cV0bN3mQ6';
const DES = 'Ab3dEf6hIj9kL';
const GRUB = 'grub.pbkdf2.sha512.10000.0A1B2C3D4E5F.9F8E7D6C5B4A';

test('evidence, summaries and the JSON result never carry a password hash, whatever check read the file', async () => {
  const fixture = await buildFixtureRoot({
    '/etc/shadow': `root:${ROOT_HASH}:19000:0:99999:7:::\nalice:${DES}:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n`,
    '/etc/gshadow': `root:*::\nadm:!${ROOT_HASH}::alice\n`,
    '/boot/grub/grub.cfg': `set superusers="admin"\npassword_pbkdf2 admin ${GRUB}\npassword guest plaintext-secret\n`,
  });
  const profileFile = path.join(fixture.dir, '..', `redaction-${process.pid}.yaml`);
  await fsp.writeFile(profileFile, `id: redaction
title: hashes
version: '1'
controls:
- {id: root-hash, title: t, checks: [{type: file_content, path: /etc/shadow, pattern: '^root:\\$'}]}
- {id: any-hash, title: t, checks: [{type: file_content, path: /etc/shadow, pattern: '^[^:]+:[^*!:]', expect: absent}]}
- {id: gshadow, title: t, checks: [{type: file_content, path: /etc/gshadow, pattern: '^adm:'}]}
- {id: grub, title: t, checks: [{type: file_content, path: /boot/grub/grub.cfg, pattern: '^password', expect: absent}]}
- {id: config, title: t, checks: [{type: config, path: /etc/shadow, format: keyvalue, key: root, op: equals, value: x}]}
`);
  try {
    const loaded = await loadProfile(profileFile);
    assert.ok(loaded.profile, loaded.errors.map((e) => e.message).join("\n"));
    const result = await runAudit({ root: new HostRoot(fixture.dir), profiles: [loaded.profile!] });
    const json = JSON.stringify(result);
    for (const secret of [ROOT_HASH, ROOT_HASH.slice(3, 20), DES, GRUB, '0A1B2C3D4E5F', 'plaintext-secret']) assert.ok(!json.includes(secret), `${secret} leaked: ${json}`);
    const root = result.controls.find((c) => c.id === 'root-hash')!;
    assert.equal(root.status, 'pass');
    assert.match(root.summary, /root:\$6\$<redacted>:19000/);
    assert.equal(root.checks[0]!.evidence[0]!.found, 'root:$6$<redacted>:19000:0:99999:7:::');
    const any = result.controls.find((c) => c.id === 'any-hash')!;
    assert.deepEqual(any.checks[0]!.evidence.map((e) => e.found), ['root:$6$<redacted>:19000:0:99999:7:::', 'alice:<redacted>:19000:0:99999:7:::']);
    assert.match(result.controls.find((c) => c.id === 'grub')!.checks[0]!.evidence.map((e) => e.found).join('\n'), /password_pbkdf2 admin <redacted>\npassword guest <redacted>/);
  } finally {
    await fsp.rm(profileFile, { force: true });
    await fixture.cleanup();
  }
});
