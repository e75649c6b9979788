/** Tests of the `accounts` check type: the conformance suite, then every rule on a hardened and a weak fixture root. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FixtureTree } from '../../../../test/helpers/fixture-root.js';
import { runCheckConformance, evaluateOnFixture } from '../common/conformance.test-helpers.js';
import { accountsCheck } from './index.js';
import { ACCOUNT_RULES } from './schema.js';

const today = Math.floor(Date.now() / 86_400_000);
const HASH = '$y$j9T$salt$hashhashhash';

const hardened: FixtureTree = {
  '/etc/passwd': [
    'root:x:0:0:root:/root:/bin/bash',
    'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
    'sync:x:4:65534:sync:/bin:/bin/sync',
    'sshd:x:100:65534::/run/sshd:/usr/sbin/nologin',
    'alice:x:1000:1000:Alice:/home/alice:/bin/bash',
    'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  ].join('\n') + '\n',
  '/etc/shadow': { content: [
    `root:${HASH}:${today - 10}:1:365:7:30::`,
    'daemon:*:19000:0:99999:7:::',
    'sync:*:19000:0:99999:7:::',
    'sshd:!:19000::::::',
    `alice:${HASH}:${today - 5}:1:365:7:30::`,
    'nobody:*:19000:0:99999:7:::',
  ].join('\n') + '\n', mode: 0o640 },
  '/etc/group': 'root:x:0:\ndaemon:x:1:\nshadow:x:42:\nalice:x:1000:\nnogroup:x:65534:\n',
  '/etc/gshadow': 'root:*::\nshadow:*::\nalice:!::\n',
  '/etc/login.defs': 'UID_MIN 1000\n',
  '/etc/shells': '/bin/sh\n/bin/bash\n',
  '/root': { dir: true, mode: 0o700, uid: 0 },
  '/home/alice': { dir: true, mode: 0o750, uid: 1000, gid: 1000 },
  '/home/alice/.bashrc': { content: '', mode: 0o644, uid: 1000 },
};

const weak: FixtureTree = {
  '/etc/passwd': [
    'root:x:0:1:root:/root:/bin/bash',
    'toor:x:0:0::/root:/bin/sh',
    'daemon:x:1:1:daemon:/usr/sbin:/bin/bash',
    'bob:x:1000:1000::/home/bob:/bin/bash',
    'bob:x:1001:1001::/home/bob2:/bin/bash',
    'carol:x:1000:4242::/home/carol:/bin/bash',
    'dave:x:1002:42::/home/dave:/bin/bash',
    '+::::::',
    'games:x:5:1:games:/usr/games:/usr/sbin/nologin',
  ].join('\n') + '\n',
  '/etc/shadow': [
    `root:${HASH}:${today}:0:99999:7:::`,
    'toor::19000::::::',
    'daemon:*:19000:0:99999:7:::',
    `bob:${HASH}:${today + 30}::::::`,
    `carol:${HASH}:${today}:1:400:3:60::`,
    `dave:${HASH}:${today}:1:90:7:10::`,
    `games:${HASH}:${today}:1:365:7:30::`,
  ].join('\n') + '\n',
  '/etc/group': 'root:x:0:\ndaemon:x:1:\nshadow:x:42:bob\nbob:x:1000:\nbob:x:1001:\nnew:x:1001:\n+:::\n',
  '/root/.profile': 'if [ -d "$HOME/bin" ] ; then\n  PATH="$HOME/bin:.:/opt/tools:$PATH"\nfi\n',
  '/opt/tools': { dir: true, mode: 0o777, uid: 0 },
  '/home/bob': { dir: true, mode: 0o777, uid: 0 },
  '/home/bob/.profile': { content: '', mode: 0o666, uid: 1000 },
  '/home/carol': { dir: true, mode: 0o750, uid: 1000 },
  '/home/dave': { content: 'not a directory' },
};

runCheckConformance(accountsCheck, {
  pass: [
    { name: 'only root has uid 0', tree: hardened, spec: { rule: 'only_root_uid_0' } },
    { name: 'max days within 365', tree: hardened, spec: { rule: 'password_max_days', value: 365 }, mentions: '2 users with a password' },
    { name: 'system accounts without shells', tree: hardened, spec: { rule: 'system_accounts_no_login_shell' }, mentions: '/etc/login.defs:1' },
    { name: 'root PATH: nothing to object to', tree: { ...hardened, '/etc/login.defs': 'UID_MIN 1000\nENV_SUPATH PATH=/usr/sbin:/usr/bin\n', '/usr/sbin': { dir: true, mode: 0o755, uid: 0 }, '/usr/bin': { dir: true, mode: 0o755, uid: 0 } }, spec: { rule: 'root_path_integrity' }, mentions: "2 directories of root's PATH in 1 file(s)" },
    { name: 'accounts without a login shell are locked', tree: hardened, spec: { rule: 'no_login_accounts_locked' }, mentions: '4 accounts without a login shell' },
  ],
  fail: [
    { name: 'toor has uid 0', tree: weak, spec: { rule: 'only_root_uid_0' }, mentions: '"line":2' },
    { name: 'empty password', tree: weak, spec: { rule: 'no_empty_passwords' }, mentions: 'toor logs in without a password' },
    { name: 'root PATH with ".", a missing and a world-writable directory', tree: weak, spec: { rule: 'root_path_integrity' }, mentions: '/opt/tools mode 0777 is group or world writable' },
    { name: 'nologin account with a password', tree: weak, spec: { rule: 'no_login_accounts_locked' }, mentions: 'games has shell /usr/sbin/nologin' },
    { name: 'world-writable home', tree: weak, spec: { rule: 'home_directories_mode', mode: '0750' }, mentions: '0777' },
  ],
  not_applicable: [
    { name: 'no shadow group to check', tree: { '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n', '/etc/group': 'root:x:0:\n' }, spec: { rule: 'shadow_group_empty' }, mentions: 'no shadow group' },
  ],
  error: [
    { name: 'no shadow file', tree: { '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n' }, spec: { rule: 'no_empty_passwords' }, mentions: '/etc/shadow' },
    { name: 'shadow is a directory', tree: { '/etc/shadow/x': '' }, spec: { rule: 'password_max_days', value: 90 } },
  ],
});

test('accounts: every rule passes on the hardened root and fails on the weak one', async () => {
  const values: Record<string, number> = { password_max_days: 365, password_min_days: 1, password_warn_days: 7, password_inactive_days: 30 };
  for (const rule of ACCOUNT_RULES) {
    const spec = values[rule] !== undefined ? { rule, value: values[rule] } : { rule };
    const good = await evaluateOnFixture(accountsCheck, hardened, spec);
    assert.equal(good.status, 'pass', `${rule} on hardened: ${good.summary} ${JSON.stringify(good.evidence)}`);
    const bad = await evaluateOnFixture(accountsCheck, weak, spec);
    assert.equal(bad.status, 'fail', `${rule} on weak: ${bad.summary}`);
    assert.ok(bad.evidence.every((e) => !JSON.stringify(e).includes(HASH)), `${rule}: evidence must not carry password hashes`);
  }
});

test('accounts: evidence names each offender with file:line', async () => {
  const dup = await evaluateOnFixture(accountsCheck, weak, { rule: 'no_duplicate_uids' });
  assert.ok(dup.evidence.every((e) => e.source === '/etc/passwd'));
  assert.deepEqual(new Set(dup.evidence.map((e) => e.line)), new Set([1, 2, 4, 6]));
  const names = await evaluateOnFixture(accountsCheck, weak, { rule: 'no_duplicate_user_names' });
  assert.deepEqual(names.evidence.map((e) => e.line), [4, 5]);
  const legacy = await evaluateOnFixture(accountsCheck, weak, { rule: 'no_legacy_plus_entries' });
  assert.deepEqual(legacy.evidence.map((e) => `${e.source}:${e.line}`), ['/etc/passwd:8', '/etc/group:7']);
  const groups = await evaluateOnFixture(accountsCheck, weak, { rule: 'passwd_groups_exist' });
  assert.deepEqual(groups.evidence.map((e) => e.line), [6]);
  const max = await evaluateOnFixture(accountsCheck, weak, { rule: 'password_max_days', value: 365 });
  assert.deepEqual(max.evidence.map((e) => e.note), ['root: maximum password age is 99999', 'bob: maximum password age is not set', 'carol: maximum password age is 400']);
  const shells = await evaluateOnFixture(accountsCheck, weak, { rule: 'system_accounts_no_login_shell' });
  assert.deepEqual(shells.evidence.filter((e) => e.line).map((e) => e.line), [2, 3], 'root and uid-0 toor: root is exempt, toor is listed');
});

test('accounts: exclude_users, uid_min override, /etc/shells decides who is interactive', async () => {
  assert.equal((await evaluateOnFixture(accountsCheck, weak, { rule: 'only_root_uid_0', exclude_users: ['toor'] })).status, 'pass');
  // with uid_min 1, only uid 0 accounts are "system": root is exempt, toor has /bin/sh
  const r = await evaluateOnFixture(accountsCheck, weak, { rule: 'system_accounts_no_login_shell', uid_min: 1 });
  assert.deepEqual(r.evidence.filter((e) => e.line).map((e) => e.line), [2]);
  const tree = { ...hardened, '/etc/shells': '/bin/sh\n' };
  const homes = await evaluateOnFixture(accountsCheck, { ...tree, '/home/alice': { dir: true as const, mode: 0o777 } }, { rule: 'home_directories_mode' });
  assert.equal(homes.status, 'pass', 'alice\'s /bin/bash is not a valid shell here, so she is not interactive');
});

test('accounts: schema needs a value for aging rules and refuses one elsewhere', () => {
  assert.equal(accountsCheck.schema.safeParse({ rule: 'password_max_days' }).success, false);
  assert.equal(accountsCheck.schema.safeParse({ rule: 'only_root_uid_0', value: 3 }).success, false);
  assert.equal(accountsCheck.schema.safeParse({ rule: 'no_such_rule' }).success, false);
  assert.equal(accountsCheck.schema.safeParse({ rule: 'only_root_uid_0', extra: 1 }).success, false);
});

test('root_path_integrity: assignments anywhere on a line, quotes, $HOME, and each kind of offender', async () => {
  const { pathAssignments, pathEntries } = await import('./root-path.js');
  assert.deepEqual(pathAssignments('# PATH=/x\nif [ x ]; then PATH="/a:/b"; fi\nexport PATH=\'/c\'\nMANPATH=/d\n'), [{ value: '/a:/b', line: 2 }, { value: '/c', line: 3 }]);
  assert.deepEqual(pathEntries('$HOME/bin:.::$PATH:${HOME}', '/root'), ['/root/bin', '.', '', '/root']);
  const r = await evaluateOnFixture(accountsCheck, weak, { rule: 'root_path_integrity' });
  assert.equal(r.status, 'fail');
  const notes = r.evidence.map((e) => e.note ?? '').filter(Boolean);
  assert.ok(notes.some((n) => n.includes('"." is relative')), JSON.stringify(notes));
  assert.ok(notes.some((n) => n.includes('/root/bin does not exist')), JSON.stringify(notes));
});
