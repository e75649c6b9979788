/** Tests of the login.defs parser: getdef.c's reading of quotes, comments and numbers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginDefsNumber, loginDefsValue, parseLoginDefs } from './login-defs.js';

test('login.defs: last definition wins, comment lines ignored, line numbers kept', () => {
  const e = parseLoginDefs('# UID_MIN 5\nUID_MIN\t\t 1000\nPASS_MAX_DAYS 99999\nUID_MIN 2000\n');
  assert.deepEqual(loginDefsValue(e, 'UID_MIN'), { name: 'UID_MIN', value: '2000', source: '/etc/login.defs', line: 4 });
  assert.equal(loginDefsValue(e, 'uid_min'), undefined); // names are case-sensitive
});

test('login.defs: quotes as getdef.c reads them (leading quotes skipped, cut at the next one)', () => {
  const e = parseLoginDefs('PASS_MAX_DAYS "90\nPASS_MIN_DAYS "7"\nENV_PATH "PATH=/usr/bin:/bin" extra\nPASS_WARN_AGE 7 # a comment\nLONE\n');
  assert.equal(loginDefsValue(e, 'PASS_MAX_DAYS')!.value, '90');
  assert.equal(loginDefsValue(e, 'PASS_MIN_DAYS')!.value, '7');
  assert.equal(loginDefsValue(e, 'ENV_PATH')!.value, 'PATH=/usr/bin:/bin');
  assert.equal(loginDefsValue(e, 'PASS_WARN_AGE')!.value, '7 # a comment');
  assert.equal(loginDefsValue(e, 'LONE'), undefined);
});

test('login.defs numbers: C base-0 integers, anything else falls back', () => {
  const e = parseLoginDefs('UMASK 022\nUID_MIN "1500\nSYS_UID_MAX 0x3e7\nPASS_WARN_AGE 7 # x\nPASS_MIN_DAYS 08\n');
  assert.deepEqual(loginDefsNumber(e, 'UMASK', 0), { value: 0o22, line: 1 });
  assert.deepEqual(loginDefsNumber(e, 'UID_MIN', 1000), { value: 1500, line: 2 });
  assert.deepEqual(loginDefsNumber(e, 'SYS_UID_MAX', 0), { value: 999, line: 3 });
  assert.deepEqual(loginDefsNumber(e, 'PASS_WARN_AGE', 5), { value: 5 });
  assert.deepEqual(loginDefsNumber(e, 'PASS_MIN_DAYS', 1), { value: 1 });
  assert.deepEqual(loginDefsNumber(e, 'MISSING', 3), { value: 3 });
});
