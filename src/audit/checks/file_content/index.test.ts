/** Tests of the `file_content` check type: the shared conformance suite plus its own cases. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCheckConformance, evaluateOnFixture } from '../common/conformance.test-helpers.js';
import { fileContentCheck } from './index.js';

const modprobe = {
  '/etc/modprobe.d/cramfs.conf': '# disable cramfs\ninstall cramfs /bin/false\nblacklist cramfs\n',
  '/etc/modprobe.d/usb.conf': 'install usb-storage /bin/true\n',
};

runCheckConformance(fileContentCheck, {
  pass: [
    { name: 'present in some file of a glob', tree: modprobe, spec: { path: '/etc/modprobe.d/*.conf', pattern: '^\\s*install\\s+cramfs\\s+/bin/(false|true)' }, mentions: 'cramfs.conf:2' },
    { name: 'absent everywhere', tree: modprobe, spec: { path: '/etc/modprobe.d/*.conf', pattern: '^\\s*options', expect: 'absent' } },
  ],
  fail: [
    { name: 'absent but found', tree: { '/etc/hosts.equiv': 'host1\n+\n' }, spec: { path: '/etc/hosts.equiv', pattern: '^\\+$', expect: 'absent' }, mentions: '"line":2' },
    { name: 'present but not found', tree: modprobe, spec: { path: '/etc/modprobe.d/*.conf', pattern: 'install\\s+freevxfs' } },
    { name: 'missing file with expect present', tree: {}, spec: { path: '/etc/issue', pattern: 'Authorized' } },
  ],
  not_applicable: [
    { name: 'missing file with missing: not_applicable', tree: {}, spec: { path: '/etc/rsyslog.conf', pattern: 'FileCreateMode', missing: 'not_applicable' } },
  ],
  error: [
    { name: 'file too large to read', tree: { '/var/log/huge': { content: Buffer.alloc(17 * 1024 * 1024, 0x61) } }, spec: { path: '/var/log/huge', pattern: 'x' } },
    { name: 'symlink loop', tree: { '/etc/issue': { symlink: '/etc/issue' } }, spec: { path: '/etc/issue', pattern: 'x' } },
    { name: 'a directory where a file was named', tree: { '/etc/issue': { dir: true } }, spec: { path: '/etc/issue', pattern: 'x' }, mentions: 'is a directory' },
  ],
});

test('file_content: scope every names the files without a match', async () => {
  const r = await evaluateOnFixture(fileContentCheck, modprobe, { path: '/etc/modprobe.d/*.conf', pattern: '^install ', scope: 'every' });
  assert.equal(r.status, 'pass');
  const f = await evaluateOnFixture(fileContentCheck, modprobe, { path: '/etc/modprobe.d/*.conf', pattern: '^blacklist ', scope: 'every' });
  assert.equal(f.status, 'fail');
  assert.match(f.summary, /usb\.conf/);
  assert.doesNotMatch(f.summary, /cramfs\.conf/);
});

test('file_content: comments are skipped on request, case folding, line numbers', async () => {
  const tree = { '/etc/ssh/sshd_config': '#PermitRootLogin yes\n  # PermitRootLogin yes\nPasswordAuthentication no\n' };
  const withComments = await evaluateOnFixture(fileContentCheck, tree, { path: '/etc/ssh/sshd_config', pattern: 'PermitRootLogin yes', expect: 'absent' });
  assert.equal(withComments.status, 'fail');
  assert.deepEqual(withComments.evidence.map((e) => e.line), [1, 2]);
  const skipped = await evaluateOnFixture(fileContentCheck, tree, { path: '/etc/ssh/sshd_config', pattern: 'PermitRootLogin yes', expect: 'absent', ignore_comments: true });
  assert.equal(skipped.status, 'pass');
  const folded = await evaluateOnFixture(fileContentCheck, tree, { path: '/etc/ssh/sshd_config', pattern: '^passwordauthentication no$', ignore_case: true });
  assert.equal(folded.status, 'pass');
  assert.equal(folded.evidence[0]!.line, 3);
});

test('file_content: evidence is bounded', async () => {
  const text = Array.from({ length: 200 }, (_, i) => `bad ${i}`).join('\n');
  const r = await evaluateOnFixture(fileContentCheck, { '/etc/x': text }, { path: '/etc/x', pattern: '^bad', expect: 'absent' });
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence.length, 51);
  assert.match(r.evidence[50]!.note!, /150 more/);
});

test('file_content: an invalid regex is a schema error that says why', () => {
  const r = fileContentCheck.schema.safeParse({ path: '/etc/x', pattern: 'install (cramfs' });
  assert.equal(r.success, false);
  assert.match(r.error!.issues[0]!.message, /invalid regular expression "install \(cramfs": missing closing \)/);
  assert.deepEqual(r.error!.issues[0]!.path, ['pattern']);
  assert.equal(fileContentCheck.schema.safeParse({ path: '/etc/x', pattern: 'a', scope: 'all' }).success, false);
  assert.equal(fileContentCheck.schema.safeParse({ path: '/etc/x', pattern: 'a', colour: 1 }).success, false);
});
