/** Tests of the `file` check type: the shared conformance suite plus its own cases. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCheckConformance, evaluateOnFixture } from '../common/conformance.test-helpers.js';
import { fileCheck } from './index.js';

const passwd = 'root:x:0:0:root:/root:/bin/bash\nauditor:x:4242:4242::/home/auditor:/usr/sbin/nologin\n';
const group = 'root:x:0:\nshadow:x:42:\nauditors:x:4343:\n';

runCheckConformance(fileCheck, {
  pass: [
    { name: 'shadow 0640 root:shadow', tree: { '/etc/passwd': passwd, '/etc/group': group, '/etc/shadow': { content: '', mode: 0o640, uid: 0, gid: 42 } },
      spec: { path: '/etc/shadow', owner: 'root', group: 'shadow', mode: '0640' }, mentions: 'mode=0640' },
    { name: 'stricter mode than allowed', tree: { '/etc/shadow': { content: '', mode: 0o600 } }, spec: { path: '/etc/shadow', mode: '0640' } },
    { name: 'absent file wanted absent', tree: {}, spec: { path: '/etc/hosts.equiv', exists: false } },
  ],
  fail: [
    { name: 'world-readable', tree: { '/etc/shadow': { content: '', mode: 0o644 } }, spec: { path: '/etc/shadow', mode: '0640' }, mentions: '0004' },
    { name: 'setuid beyond mode', tree: { '/usr/bin/x': { content: '', mode: 0o4755 } }, spec: { path: '/usr/bin/x', mode: '0755' }, mentions: '4000' },
    { name: 'missing file', tree: {}, spec: { path: '/etc/issue.net' }, mentions: 'does not exist' },
    { name: 'present file wanted absent', tree: { '/root/.rhosts': '' }, spec: { path: '/root/.rhosts', exists: false } },
  ],
  not_applicable: [
    { name: 'missing with missing: not_applicable', tree: {}, spec: { path: '/etc/cron.allow', mode: '0640', missing: 'not_applicable' } },
  ],
  error: [
    { name: 'symlink loop', tree: { '/etc/loop': { symlink: '/etc/loop' } }, spec: { path: '/etc/loop', mode: '0644' } },
  ],
});

test('file: owner and group names resolve through the root, not this machine', async () => {
  const tree = { '/etc/passwd': passwd, '/etc/group': group, '/var/log/audit': { dir: true as const, mode: 0o750, uid: 4242, gid: 4343 } };
  const ok = await evaluateOnFixture(fileCheck, tree, { path: '/var/log/audit', file_type: 'directory', owner: 'auditor', group: 'auditors', mode: '0750' });
  assert.equal(ok.status, 'pass', ok.summary);
  assert.match(ok.evidence[0]!.found!, /owner=auditor\(4242\) group=auditors\(4343\)/);
  const byId = await evaluateOnFixture(fileCheck, tree, { path: '/var/log/audit', owner: 4242, group: '4343' });
  assert.equal(byId.status, 'pass');
  const wrong = await evaluateOnFixture(fileCheck, tree, { path: '/var/log/audit', owner: ['root', 'nosuch'] });
  assert.equal(wrong.status, 'fail');
  assert.match(wrong.evidence[0]!.note!, /owner is auditor\(4242\).*no user nosuch/);
});

test('file: a glob requires every match to satisfy, and names each offender', async () => {
  const tree = {
    '/etc/cron.d/a': { content: '', mode: 0o600 },
    '/etc/cron.d/b': { content: '', mode: 0o644 },
    '/etc/cron.d/c': { content: '', mode: 0o666 },
  };
  const r = await evaluateOnFixture(fileCheck, tree, { path: '/etc/cron.d/*', mode: '0600' });
  assert.equal(r.status, 'fail');
  assert.deepEqual(r.evidence.map((e) => e.source), ['/etc/cron.d/b', '/etc/cron.d/c']);
  assert.match(r.summary, /and 1 more/);
  const ok = await evaluateOnFixture(fileCheck, tree, { path: '/etc/cron.d/*', mode: '0666' });
  assert.equal(ok.status, 'pass');
  assert.equal(ok.evidence.length, 3);
  const none = await evaluateOnFixture(fileCheck, tree, { path: '/etc/cron.d/*.conf', mode: '0600', missing: 'pass' });
  assert.equal(none.status, 'pass');
});

test('file: types, symlinks examined or followed, dangling links', async () => {
  const tree = {
    '/usr/bin/vim.basic': { content: '', mode: 0o755 },
    '/etc/alternatives/editor': { symlink: '/usr/bin/vim.basic' },
    '/etc/dangling': { symlink: '/nowhere' },
  };
  assert.equal((await evaluateOnFixture(fileCheck, tree, { path: '/etc/alternatives/editor', file_type: 'symlink' })).status, 'pass');
  assert.equal((await evaluateOnFixture(fileCheck, tree, { path: '/etc/alternatives/editor', file_type: 'file', mode: '0755' })).status, 'pass');
  const noFollow = await evaluateOnFixture(fileCheck, tree, { path: '/etc/alternatives/editor', file_type: 'file', follow_symlinks: false });
  assert.equal(noFollow.status, 'fail');
  assert.match(noFollow.summary, /type is symlink/);
  const dangling = await evaluateOnFixture(fileCheck, tree, { path: '/etc/dangling', file_type: 'file' });
  assert.equal(dangling.status, 'fail');
  assert.match(dangling.summary, /dangling/);
  assert.equal((await evaluateOnFixture(fileCheck, { '/tmp': { dir: true, mode: 0o1777 } }, { path: '/tmp', file_type: 'directory', mode: '1777' })).status, 'pass');
});

test('file: schema rejects unknown keys and bad modes with a clear message', () => {
  assert.equal(fileCheck.schema.safeParse({ path: '/etc/x', mod: '0644' }).success, false);
  const bad = fileCheck.schema.safeParse({ path: '/etc/x', mode: '0999' });
  assert.equal(bad.success, false);
  assert.match(bad.error!.issues[0]!.message, /octal/);
  assert.equal(fileCheck.schema.safeParse({ path: 'etc/x' }).success, false);
  assert.deepEqual(fileCheck.schema.parse({ path: '/etc/x' }), { path: '/etc/x', exists: true, follow_symlinks: true, missing: 'fail' });
});

test('file: on the live root, /etc/passwd is a root-owned file (names from the host\'s own /etc/passwd)', async () => {
  const { HostRoot } = await import('../../../core/host-root.js');
  const { testCheckContext } = await import('../common/conformance.test-helpers.js');
  const r = await fileCheck.evaluate(fileCheck.schema.parse({ path: '/etc/passwd', file_type: 'file', owner: 'root', mode: '0666' }), testCheckContext(new HostRoot('/')));
  assert.equal(r.status, 'pass', r.summary);
  assert.match(r.evidence[0]!.found!, /^type=file owner=root\(0\)/);
});
