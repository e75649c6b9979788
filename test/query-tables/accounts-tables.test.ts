/**
 * groups, user_groups and shadow against getent and id on this machine, and on fixture roots
 * built by the test.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { QueryEngine } from '../../src/query/engine.js';
import { buildFixtureRoot } from '../helpers/fixture-root.js';
import { assertTypes, queryRoot, rowsOf, sh } from './helpers.js';

const engine = new QueryEngine();
after(() => engine.close());
const rows = (sql: string) => rowsOf(engine, sql);

test('groups: the same groups as getent group; WHERE gid narrows', async () => {
  const ours = await rows('SELECT gid, gid_signed, groupname FROM groups');
  const theirs = sh('getent', ['group']).trim().split('\n').map((l) => l.split(':'));
  assert.deepEqual(ours.map((g) => `${g.groupname}:${g.gid}`), theirs.map((f) => `${f[0]}:${f[2]}`));
  assertTypes(ours, { gid: 'INTEGER', gid_signed: 'INTEGER', groupname: 'TEXT' });
  assert.deepEqual(await rows('SELECT groupname FROM groups WHERE gid = 0'), [{ groupname: 'root' }]);
});

test('user_groups: for every user, the groups id -G reports', async () => {
  const ours = await rows('SELECT uid, gid FROM user_groups');
  const users = sh('getent', ['passwd']).trim().split('\n').map((l) => l.split(':'));
  for (const u of users.slice(0, 30)) {
    const theirs = sh('id', ['-G', u[0]!]).trim().split(' ').map(Number).sort((a, b) => a - b);
    const mine = ours.filter((r) => r.uid === Number(u[2])).map((r) => r.gid as number).sort((a, b) => a - b);
    assert.deepEqual([...new Set(mine)], theirs, u[0]);
  }
  assertTypes(ours, { uid: 'INTEGER', gid: 'INTEGER' });
});

test('user_groups and groups on a fixture root: supplementary members, 32-bit gids', async () => {
  const root = await buildFixtureRoot({
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n',
    '/etc/group': 'root:x:0:\nsudo:x:27:alice,bob\nalice:x:1000:\nnogroup:x:4294967294:\ndocker:x:999:alice\n',
  });
  try {
    const { rows: ug } = await queryRoot(root.dir, 'SELECT uid, gid FROM user_groups WHERE uid = 1000 ORDER BY gid');
    assert.deepEqual(ug, [{ uid: 1000, gid: 27 }, { uid: 1000, gid: 999 }, { uid: 1000, gid: 1000 }]);
    const { rows: g } = await queryRoot(root.dir, "SELECT gid, gid_signed FROM groups WHERE groupname = 'nogroup'");
    assert.deepEqual(g, [{ gid: 4294967294, gid_signed: -2 }]);
  } finally {
    await root.cleanup();
  }
});

test('shadow: password states as passwd -S sees them, aging fields, no hash in the output', async () => {
  const ours = await rows('SELECT * FROM shadow');
  const status = sh('passwd', ['-S', '-a']).trim().split('\n').map((l) => l.split(/\s+/));
  let compared = 0;
  for (const f of status) {
    const r = ours.find((x) => x.username === f[0]);
    if (!r) continue; // an account with no shadow entry: passwd -S reports it from passwd alone
    compared++;
    // passwd -S: L locked, NP no password, P usable
    const expected = f[1] === 'NP' ? ['empty'] : f[1] === 'P' ? ['active'] : ['locked', 'not_set'];
    assert.ok(expected.includes(r.password_status as string), `${f[0]}: ${r.password_status} vs ${f[1]}`);
    assert.equal(r.min, f[3] === '-1' ? null : Number(f[3]));
    assert.equal(r.max, f[4] === '-1' ? null : Number(f[4]));
    assertTypes([r], { password_status: 'TEXT', hash_alg: 'TEXT', last_change: 'NULL-OR-INTEGER', expire: 'NULL-OR-INTEGER', flag: 'NULL-OR-INTEGER' });
  }
  assert.ok(compared > 0 && compared >= ours.length - 1, `${compared} of ${ours.length} shadow entries compared`);
  assert.ok(!JSON.stringify(ours).includes('$6$') && !JSON.stringify(ours).includes('$y$'));
  const root = await buildFixtureRoot({
    '/etc/shadow': [
      'root:$y$j9T$abc$def:19700:0:99999:7:::', 'alice:!$6$salt$hash:19000:1:90:14:30:20000:', 'bob::19000::::::',
      'svc:*:19000:0:99999:7:::', 'new:!!:19000::::::', 'old:abcdefghijklm:1:0:99999:7:::',
    ].join('\n') + '\n',
  });
  try {
    const { rows: s } = await queryRoot(root.dir, 'SELECT username, password_status, hash_alg, last_change, min, max, warning, inactive, expire FROM shadow');
    assert.deepEqual(s, [
      { username: 'root', password_status: 'active', hash_alg: 'yescrypt', last_change: 19700, min: 0, max: 99999, warning: 7, inactive: null, expire: null },
      { username: 'alice', password_status: 'locked', hash_alg: 'sha512', last_change: 19000, min: 1, max: 90, warning: 14, inactive: 30, expire: 20000 },
      { username: 'bob', password_status: 'empty', hash_alg: '', last_change: 19000, min: null, max: null, warning: null, inactive: null, expire: null },
      { username: 'svc', password_status: 'locked', hash_alg: '', last_change: 19000, min: 0, max: 99999, warning: 7, inactive: null, expire: null },
      { username: 'new', password_status: 'not_set', hash_alg: '', last_change: 19000, min: null, max: null, warning: null, inactive: null, expire: null },
      { username: 'old', password_status: 'active', hash_alg: 'des', last_change: 1, min: 0, max: 99999, warning: 7, inactive: null, expire: null },
    ]);
    const { rows: one } = await queryRoot(root.dir, "SELECT username FROM shadow WHERE username = 'bob'");
    assert.deepEqual(one, [{ username: 'bob' }]);
  } finally {
    await root.cleanup();
  }
});
