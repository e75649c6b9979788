/**
 * Bad input never crashes a table (principle 4): on a root whose files are garbage, binary,
 * truncated, directories where files belong, or symlink loops, every file-based table
 * answers (rows or none, maybe a warning) instead of throwing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { buildFixtureRoot } from '../helpers/fixture-root.js';
import { queryRoot } from './helpers.js';

const FILE_TABLES = [
  'groups', 'user_groups', 'shadow', 'logged_in_users', 'last', 'shell_history', 'authorized_keys', 'user_ssh_keys', 'known_hosts',
  'sudoers', 'crontab', 'systemd_units', 'startup_items', 'deb_packages', 'rpm_packages', 'apt_sources', 'python_packages',
  'npm_packages', 'etc_hosts', 'dns_resolvers', 'iptables', 'suid_bin',
];

test('every file-based table survives a root full of garbage', async () => {
  const junk = crypto.randomBytes(4096);
  const root = await buildFixtureRoot({
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nbroken line\nalice:x:notanumber:1::/home/alice:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\n',
    '/etc/group': { content: junk },
    '/etc/shadow': 'root:$6$x:abc:def::::::\n::::\n',
    '/var/run/utmp': { content: junk.subarray(0, 1000) }, // not a whole number of records
    '/var/log/wtmp': { content: Buffer.alloc(384 * 2, 0xff) },
    '/root/.bash_history': { content: junk },
    '/root/.ssh/authorized_keys': 'ssh-rsa\n"unterminated ssh-ed25519 AAAA\nno-pty ssh-rsa AAAA comment\n',
    '/root/.ssh/id_rsa': '-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n',
    '/root/.ssh/id_pem': '-----BEGIN RSA PRIVATE KEY-----\ngarbage\n-----END RSA PRIVATE KEY-----\n',
    '/root/.ssh/known_hosts': { dir: true },
    '/etc/sudoers': '@includedir /etc/sudoers.d\n#include /etc/sudoers\n\\\n',
    '/etc/sudoers.d/loop': { symlink: 'loop' },
    '/etc/crontab': '* * *\n@\n',
    '/etc/systemd/system/bad.service': { symlink: '/nowhere/bad.service' },
    '/etc/systemd/system/junk.service': { content: junk },
    '/etc/systemd/system/multi-user.target.wants/junk.service': { symlink: '../junk.service' },
    '/var/lib/dpkg/status': { content: junk },
    '/var/lib/rpm/rpmdb.sqlite': { content: junk },
    '/etc/apt/sources.list': 'deb [arch=\ndeb\n',
    '/etc/apt/sources.list.d/x.sources': 'Types: deb\nURIs:\n',
    '/usr/lib/python3/dist-packages/x.dist-info/METADATA': { content: junk },
    '/usr/lib/python3/dist-packages/y.egg-info': { dir: true },
    '/usr/lib/node_modules/a/package.json': '[1,2,3]',
    '/usr/lib/node_modules/@s': { symlink: '@s' },
    '/etc/hosts': { dir: true },
    '/etc/resolv.conf': { symlink: '/etc/resolv.conf' },
    '/etc/iptables/rules.v4': '*filter\n-A\n-A INPUT -p\n:INPUT\n[x:y] -A INPUT -j\nCOMMIT\n',
    '/usr/bin': { symlink: '/usr/bin' },
    '/usr/lib/loop': { symlink: '..' },
  });
  try {
    for (const t of FILE_TABLES) {
      const result = await queryRoot(root.dir, `SELECT * FROM ${t}`).catch((err: Error) => assert.fail(`${t} threw: ${err.message}`));
      assert.ok(Array.isArray(result.rows), t);
    }
    const { rows, warnings } = await queryRoot(root.dir, 'SELECT * FROM rpm_packages');
    assert.deepEqual(rows, []);
    assert.ok(warnings.some((w) => /rpmdb\.sqlite/.test(w)), 'a corrupt RPM database is reported');
    const { rows: users } = await queryRoot(root.dir, 'SELECT uid FROM user_groups');
    assert.deepEqual([...new Set(users.map((u) => u.uid))], [0, 1001], 'malformed passwd lines are skipped, the rest read');
    const { rows: keys } = await queryRoot(root.dir, 'SELECT path, key_type FROM user_ssh_keys');
    assert.deepEqual(keys, [{ path: '/root/.ssh/id_pem', key_type: '' }], 'an unparsable PEM key is listed without details; a non-key is not listed');
  } finally {
    await root.cleanup();
  }
});
