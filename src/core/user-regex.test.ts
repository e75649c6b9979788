import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileUserRegex, userRegexProblem } from './user-regex.js';

test('a catastrophic pattern on a matching and a near-matching line finishes in linear time', () => {
  const re = compileUserRegex('^(a+)+$');
  const started = Date.now();
  assert.equal(re.test('a'.repeat(200_000)), true);
  assert.equal(re.test('a'.repeat(200_000) + '!'), false);
  assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
});

test('flags, groups and split behave as RegExp does for the parts callers use', () => {
  assert.equal(compileUserRegex('^B$', { ignoreCase: true, multiline: true }).test('a\nb\nc'), true);
  assert.equal(compileUserRegex('^b$').test('a\nb'), false);
  const m = compileUserRegex('(x)(y)?').exec('zzx');
  assert.deepEqual(m && [...m], ['x', 'x', undefined]);
  assert.deepEqual(compileUserRegex(',').split('a,b,,c,'), ['a', 'b', '', 'c', '']);
});

test('lookarounds and backreferences are refused with a message saying why', () => {
  assert.match(userRegexProblem('^(?!root:)x') ?? '', /lookahead and lookbehind are not supported/);
  assert.match(userRegexProblem('(a)\\1') ?? '', /backreferences are not supported/);
  assert.match(userRegexProblem('a{5000}') ?? '', /invalid repeat count/);
  assert.equal(userRegexProblem('^\\s*PermitRootLogin\\s+no\\b'), undefined);
  assert.throws(() => compileUserRegex('('), (e: Error & { code?: string }) => e.code === 'invalid_regex' && /missing closing \)/.test(e.message));
});
