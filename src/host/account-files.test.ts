/** Tests of the account file parsers and readers: fields, line numbers, legacy and malformed lines, password states, and this machine's files against getent. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { HostRoot } from '../core/host-root.js';
import { readAccountFile, readAccountFileSync } from './account-files.js';
import { parsePasswd } from './passwd.js';
import { parseGroup } from './group.js';
import { parseGshadow } from './gshadow.js';
import { hashAlgorithm, parseShadow, passwordState } from './shadow.js';
import { buildFixtureRoot } from '../../test/helpers/fixture-root.js';

test('passwd: entries with line numbers; comments, blanks, legacy and malformed lines kept apart', () => {
  const f = parsePasswd('root:x:0:0:root:/root:/bin/bash\n# comment\n\n+@admins::::::\nbad:x:zero:0::/:/bin/sh\nshort:x:1\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n');
  assert.deepEqual(f.entries.map((e) => [e.name, e.uid, e.gid, e.home, e.shell, e.line]), [['root', 0, 0, '/root', '/bin/bash', 1], ['daemon', 1, 1, '/usr/sbin', '/usr/sbin/nologin', 7]]);
  assert.deepEqual(f.legacy, [{ text: '+@admins::::::', line: 4 }]);
  assert.deepEqual(f.malformed.map((m) => m.line), [5, 6]);
  assert.match(f.malformed[0]!.reason, /numbers/);
});

test('shadow, group, gshadow: fields, empty numbers, member lists', () => {
  const s = parseShadow('root:$y$j9T$abc:19700:0:99999:7:::\nnobody:*:19700::::::\nbroken:x:abc::::::\n');
  assert.equal(s.entries[0]!.maxDays, 99999);
  assert.equal(s.entries[0]!.inactiveDays, undefined);
  assert.equal(s.entries[1]!.minDays, undefined);
  assert.equal(s.malformed[0]!.line, 3);
  const g = parseGroup('sudo:x:27:alice,bob\nshadow:x:42:\n');
  assert.deepEqual(g.entries.map((e) => [e.name, e.gid, e.members]), [['sudo', 27, ['alice', 'bob']], ['shadow', 42, []]]);
  const gs = parseGshadow('sudo:*:alice:alice,bob\n');
  assert.deepEqual([gs.entries[0]!.admins, gs.entries[0]!.members], [['alice'], ['alice', 'bob']]);
  assert.deepEqual(['', '!', '!!', '*', '!$6$x', '$6$x'].map(passwordState), ['empty', 'locked', 'not_set', 'locked', 'locked', 'active']);
  assert.deepEqual(['$6$salt$h', '!$y$j9T$x', 'abcdefghijklm', '*'].map(hashAlgorithm), ['sha512', 'yescrypt', 'des', '']);
  assert.equal(parseShadow('a:$6$x:1:2:3:4:5:6:7\n').entries[0]!.flag, 7);
});

test('readAccountFile: reads through the root; undefined when absent; error for a directory', async () => {
  const fx = await buildFixtureRoot({ '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n', '/etc/shadow/x': '' });
  try {
    const root = new HostRoot(fx.dir);
    assert.equal((await readAccountFile(root, 'passwd'))!.entries[0]!.name, 'root');
    assert.deepEqual(readAccountFileSync(root, 'passwd'), await readAccountFile(root, 'passwd'));
    assert.equal(await readAccountFile(root, 'group'), undefined);
    assert.equal(readAccountFileSync(root, 'group'), undefined);
    await assert.rejects(readAccountFile(root, 'shadow'), /is a directory/);
    assert.throws(() => readAccountFileSync(root, 'shadow'), /is a directory/);
  } finally { await fx.cleanup(); }
});

test('this machine: /etc/passwd and /etc/group parse to what getent reports', async () => {
  const root = new HostRoot('/');
  for (const [kind, db] of [['passwd', 'passwd'], ['group', 'group']] as const) {
    const ours = (await readAccountFile(root, kind))!.entries.map((e) => `${e.name}:${(e as { uid?: number }).uid ?? (e as { gid: number }).gid}`);
    const theirs = execFileSync('getent', [db], { encoding: 'utf8' }).trim().split('\n').map((l) => { const f = l.split(':'); return `${f[0]}:${f[2]}`; });
    assert.deepEqual(ours, theirs);
  }
});
