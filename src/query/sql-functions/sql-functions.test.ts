/**
 * osquery's SQL functions with osquery's results (as read from osquery/sql/sqlite_*.cpp),
 * in queries of the shapes packs use, against tables on a fixture root.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { HostRoot } from '../../core/host-root.js';
import { buildFixtureRoot, type FixtureRoot } from '../../../test/helpers/fixture-root.js';
import { QueryEngine } from '../engine.js';
import { realText } from './values.js';

let fixture: FixtureRoot;
let engine: QueryEngine;

before(async () => {
  fixture = await buildFixtureRoot({
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/home/alice:/usr/local/bin/fish\n',
    '/etc/hosts': '127.0.0.1 localhost\n10.20.30.40 db.internal\n192.168.1.255 broadcast.lan\n',
  });
  engine = new QueryEngine({ root: new HostRoot(fixture.dir) });
});

after(async () => {
  engine.close();
  await fixture.cleanup();
});

const one = async (sql: string) => QueryEngine.rowObjects(await engine.query(sql))[0]!;
const fails = (sql: string, message: RegExp) => assert.rejects(engine.query(sql), message, sql);

test('md5, sha1, sha256 hash a value\'s text, lowercase hex, NULL for NULL', async () => {
  const r = await one("SELECT md5(username) AS m, sha1(username) AS s1, sha256(username) AS s2, md5(NULL) AS n, sha256(42) AS num FROM users WHERE uid = 1000");
  const hex = (alg: string, s: string) => crypto.createHash(alg).update(s).digest('hex');
  assert.deepEqual(r, { m: hex('md5', 'alice'), s1: hex('sha1', 'alice'), s2: hex('sha256', 'alice'), n: null, num: hex('sha256', '42') });
});

test('community_id_v1: the same flow id both ways; NULL on bad input; the _strict form is an error', async () => {
  const r = await one("SELECT community_id_v1('10.0.0.5', '93.184.216.34', 51515, 443, 6) AS out, community_id_v1('93.184.216.34', '10.0.0.5', 443, 51515, 6) AS back, community_id_v1('10.0.0.5', '93.184.216.34', 51515, 443, 6, 1) AS seeded, community_id_v1('nope', '1.1.1.1', 1, 2, 6) AS bad");
  assert.match(String(r.out), /^1:[A-Za-z0-9+/]{27}=$/);
  assert.equal(r.back, r.out);
  assert.notEqual(r.seeded, r.out);
  assert.equal(r.bad, null);
  // the id as the spec defines it: sha1 over seed, addresses, proto, pad, ports (smaller endpoint first)
  const bytes = Buffer.from([0, 0, 10, 0, 0, 5, 93, 184, 216, 34, 6, 0, 0xc9, 0x3b, 0x01, 0xbb]);
  assert.equal(r.out, `1:${crypto.createHash('sha1').update(bytes).digest('base64')}`);
  await fails("SELECT community_id_v1_strict('10.0.0.5', '10.0.0.6', '80', 443, 6)", /Community ID ports must be integers/);
  await fails("SELECT community_id_v1_strict('10.0.0.5', '10.0.0.6', 80, 443, 300)", /protocol must fit in 1 byte/);
});

test('in_cidr_block: boost\'s hosts of a network (IPv4 network and broadcast addresses are outside)', async () => {
  const inside = await engine.query("SELECT address FROM etc_hosts WHERE in_cidr_block('10.0.0.0/8', address) OR in_cidr_block('192.168.1.0/24', address) ORDER BY address");
  assert.deepEqual(inside.rows, [['10.20.30.40']], '192.168.1.255 is the /24\'s broadcast address');
  const r = await one("SELECT in_cidr_block('10.0.0.0/26', '10.0.0.24') AS a, in_cidr_block('10.0.0.0/8', '10.0.0.0') AS net, in_cidr_block('10.1.2.3/32', '10.1.2.3') AS host, in_cidr_block('2001:db8::/48', '2001:db8:0:ffff::1') AS v6, in_cidr_block('2001:db8::/48', '2001:db8::') AS v6net, in_cidr_block('2001:db8::/48', '2001:db9::') AS v6out");
  assert.deepEqual(r, { a: 1, net: 0, host: 1, v6: 1, v6net: 1, v6out: 0 });
  await fails("SELECT in_cidr_block('10.0.0.0', '10.0.0.1')", /CIDR for IP address v4 cannot be parsed/);
  await fails("SELECT in_cidr_block('10.0.0.0/8', 'not-an-ip')", /IP address cannot be parsed/);
  await fails("SELECT in_cidr_block('10.0.0.0/8', 167772161)", /IP address must be a string/);
});

test('version_compare: osquery\'s segment comparison and its DPKG / RHEL / ARCH flavors', async () => {
  const r = await one(`SELECT version_compare('1.10', '1.9') AS minor, version_compare('2.0', '2.0') AS same,
    version_compare('1.2.9-1ubuntu0.1', '1.2.9-1ubuntu0.2', 'DPKG') AS dpkg,
    version_compare('3.0~beta1', '3.0', 'rhel') AS tilde, version_compare('3.0^post', '3.0', 'RHEL') AS caret,
    version_compare('2:1.0', '9.0', 'DPKG') AS epoch, version_compare('2:1.0', '9.0') AS no_epoch, version_compare('', '1') AS empty`);
  assert.deepEqual(r, { minor: 1, same: 0, dpkg: -1, tilde: -1, caret: 1, epoch: 1, no_epoch: -1, empty: -1 });
  const newer = await engine.query("SELECT v FROM (SELECT '1.2.10' AS v UNION ALL SELECT '1.2.9' UNION ALL SELECT '1.3') WHERE version_compare(v, '1.2.9') > 0 ORDER BY v");
  assert.deepEqual(newer.rows, [['1.2.10'], ['1.3']]);
  await fails("SELECT version_compare('1', '2', 'SLES')", /does not match one of: \(ARCH, DPKG, RHEL\)/);
  await fails("SELECT version_compare('1')", /Must provide two version strings/);
  await fails("SELECT '1' < '2' COLLATE VERSION_DPKG", /VERSION_DPKG collation is not available here; compare with version_compare\(a, b, 'DPKG'\)/);
});

test('log is natural as in osquery; ceil and floor give integers; C library errors are query errors', async () => {
  const r = await one('SELECT log(exp(2)) AS ln, log10(1000) AS l10, ceil(1.2) AS c, floor(-1.5) AS f, ceil(7) AS ci, typeof(floor(2.5)) AS t, power(2, 10) AS p, round(degrees(pi())) AS d, radians(180) = pi() AS r, sqrt(2.25) AS s');
  assert.deepEqual(r, { ln: 2, l10: 3, c: 2, f: -2, ci: 7, t: 'integer', p: 1024, d: 180, r: 1, s: 1.5 });
  assert.equal((await one("SELECT log('2.718281828459045') AS x")).x, 1, 'text converts by its numeric prefix');
  assert.equal((await one('SELECT log(NULL) AS x')).x, null);
  await fails('SELECT log(0)', /Numerical result out of range/);
  await fails('SELECT sqrt(-1)', /Numerical argument out of domain/);
  await fails('SELECT acos(2)', /Numerical argument out of domain/);
});

test('split trims pieces and drops empty ones; regex_split keeps a leading empty piece; regex_match groups', async () => {
  const r = await one("SELECT split(shell, '/', 0) AS first, split(' a , b ,, c ', ',', 2) AS third, regex_split('1a2b', '[0-9]', 0) AS lead, regex_split('1a2b', '[0-9]', 2) AS last, regex_split('1a2b', '[0-9]', 3) AS past, regex_match(shell, '^/usr/(local/)?bin/(\\w+)$', 2) AS prog, regex_match(shell, '^/usr/(local/)?bin/(\\w+)$', 9) AS nogroup FROM users WHERE uid = 1000");
  assert.deepEqual(r, { first: 'usr', third: 'c', lead: '', last: 'b', past: null, prog: 'fish', nogroup: null });
  await fails("SELECT split('a', '', 0)", /Invalid input to split function/);
  await fails("SELECT regex_match('a', '(', 0)", /Invalid regex/);
  await fails(`SELECT regex_match('a', '${'a'.repeat(257)}', 0)`, /too big, max size is 256 bytes/);
});

test('a catastrophic pattern on a long input returns promptly (RE2, linear time)', async () => {
  const started = Date.now();
  const r = await one(`SELECT regex_match('${'a'.repeat(5000)}!', '^(a+)+$', 0) AS m`);
  assert.equal(r.m, null);
  assert.ok(Date.now() - started < 2000, 'a backtracking engine would take ages here');
});

test('concat and concat_ws skip NULLs as osquery does (concat_ws keeps the separator after a value followed by NULLs)', async () => {
  const r = await one("SELECT concat(username, ':', uid) AS c, concat_ws(',', username, NULL, shell) AS w, concat_ws('-', 'a', NULL) AS trailing, concat_ws(NULL, 'x', 'y') AS nosep, concat_ws(',', 1.5, 2.0) AS reals FROM users WHERE uid = 0");
  assert.deepEqual(r, { c: 'root:0', w: 'root,/bin/bash', trailing: 'a-', nosep: 'xy', reals: '1.5,2.0' });
  await fails('SELECT concat_ws()', /Missing separator to concat_ws/);
});

test('parent_directory, base64 and carve/sleep', async () => {
  const r = await one("SELECT parent_directory(directory) AS p, parent_directory('file') AS none, to_base64(username) AS b, from_base64(to_base64(username)) AS back, from_base64('not base64!') AS bad, conditional_to_base64(description) AS plain, conditional_to_base64(char(7) || 'x') AS binary FROM users WHERE uid = 1000");
  assert.deepEqual(r, { p: '/home', none: null, b: 'YWxpY2U=', back: 'alice', bad: '', plain: 'Alice', binary: Buffer.from('\x07x').toString('base64') });
  await fails('SELECT parent_directory(1)', /TEXT was expected/);
  assert.equal((await one("SELECT carve(path) AS c FROM (SELECT '/etc/passwd' AS path)")).c, 'Carve Failed:', 'no carver: osquery\'s answer with carving disabled');
  assert.deepEqual(await one('SELECT sleep(0) AS s, sleep(-3) AS neg'), { s: 0, neg: 0 });
});

test('realText writes REALs as SQLite does', () => {
  assert.deepEqual([2, 0.1, 1e20, 1e-7, -1.5, 0, 1e16].map(realText), ['2.0', '0.1', '1.0e+20', '1.0e-07', '-1.5', '0.0', '10000000000000000.0']);
});
