/**
 * Parser agreement for sshd_config: the audit's `config` check (format sshd) and the
 * authorized_keys table read AuthorizedKeysFile through one parser (src/host/sshd-config.ts),
 * so Include (relative globs under /etc/ssh), first-value-wins and Match blocks give the same
 * answer in both. Before, the table had its own Include walk that ignored `Match All`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostRoot } from '../../src/core/host-root.js';
import { configCheck } from '../../src/audit/checks/config/index.js';
import { testCheckContext } from '../../src/audit/checks/common/conformance.test-helpers.js';
import { buildFixtureRoot } from '../helpers/fixture-root.js';
import { queryRoot } from '../query-tables/helpers.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

const variants: Array<{ name: string; main: string; dropIn: string; patterns: string[] }> = [
  {
    name: 'relative Include, first value wins, Match User left to its user',
    main: 'Include sshd_config.d/*.conf\nAuthorizedKeysFile .ssh/ignored_because_later\nMatch User root\n  AuthorizedKeysFile /never\n',
    dropIn: 'AuthorizedKeysFile /etc/ssh/keys/%u .ssh/authorized_keys\n',
    patterns: ['/etc/ssh/keys/%u', '.ssh/authorized_keys'],
  },
  {
    name: 'Match All overrides the global value (as sshd -T reports it)',
    main: 'Include sshd_config.d/*.conf\nMatch All\n  AuthorizedKeysFile /etc/ssh/all/%u\n',
    dropIn: 'AuthorizedKeysFile /etc/ssh/keys/%u\n',
    patterns: ['/etc/ssh/all/%u'],
  },
  {
    name: 'no AuthorizedKeysFile: sshd\'s default files',
    main: 'Include sshd_config.d/*.conf\n',
    dropIn: 'PermitRootLogin no\n',
    patterns: ['.ssh/authorized_keys', '.ssh/authorized_keys2'],
  },
];

for (const v of variants) {
  test(`sshd_config agreement: ${v.name}`, async () => {
    const expanded = v.patterns.map((p) => (p.startsWith('/') ? p.replace('%u', 'alice') : `/home/alice/${p}`));
    const root = await buildFixtureRoot({
      '/etc/passwd': 'alice:x:1000:1000::/home/alice:/bin/sh\n',
      '/etc/ssh/sshd_config': v.main,
      '/etc/ssh/sshd_config.d/10-keys.conf': v.dropIn,
      ...Object.fromEntries(['/never', '/etc/ssh/keys/alice', '/etc/ssh/all/alice', '/home/alice/.ssh/ignored_because_later', '/home/alice/.ssh/authorized_keys', '/home/alice/.ssh/authorized_keys2']
        .map((f) => [f, `${KEY} ${f}\n`])),
    });
    try {
      const spec = configCheck.schema.parse({ format: 'sshd', key: 'AuthorizedKeysFile', value: v.patterns.join(' ') });
      const verdict = await configCheck.evaluate(spec, testCheckContext(new HostRoot(root.dir)));
      assert.equal(verdict.status, 'pass', verdict.summary);
      const { rows, warnings } = await queryRoot(root.dir, 'SELECT key_file FROM authorized_keys');
      assert.deepEqual(warnings, []);
      assert.deepEqual(rows.map((r) => r.key_file), expanded);
    } finally {
      await root.cleanup();
    }
  });
}

test('sshd_config agreement: a line sshd refuses is an audit error with file:line and a table warning', async () => {
  const root = await buildFixtureRoot({
    '/etc/passwd': 'alice:x:1000:1000::/home/alice:/bin/sh\n',
    '/etc/ssh/sshd_config': 'Include sshd_config.d/*.conf\n',
    '/etc/ssh/sshd_config.d/10-keys.conf': 'AuthorizedKeysFile "/etc/ssh/keys/%u\n',
    '/home/alice/.ssh/authorized_keys': `${KEY} home\n`,
  });
  try {
    const spec = configCheck.schema.parse({ format: 'sshd', key: 'AuthorizedKeysFile', value: '.ssh/authorized_keys' });
    const verdict = await configCheck.evaluate(spec, testCheckContext(new HostRoot(root.dir)));
    assert.equal(verdict.status, 'error');
    assert.match(JSON.stringify(verdict), /10-keys\.conf:1: unterminated quote/);
    const { rows, warnings } = await queryRoot(root.dir, 'SELECT key_file FROM authorized_keys');
    assert.ok(warnings.some((w) => /10-keys\.conf:1: unterminated quote/.test(w)), warnings.join('\n'));
    assert.deepEqual(rows.map((r) => r.key_file), ['/home/alice/.ssh/authorized_keys']);
  } finally {
    await root.cleanup();
  }
});
