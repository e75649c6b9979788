import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonObjectScanner } from './json-object-scan.js';
import type { SpyglassError } from '../../core/errors.js';

function members(text: string): Array<[string, unknown]> {
  const buf = Buffer.from(text);
  const scanner = new JsonObjectScanner(buf, 'feed.json');
  const out: Array<[string, unknown]> = [];
  scanner.forEachMember((key, start, end) => out.push([key, scanner.parseValue(start, end)]));
  return out;
}

test('members and their values equal what JSON.parse sees, strings with quotes, escapes and brackets included', () => {
  const value = {
    'a"b': { x: [1, 2, { y: 'z}]' }], s: 'back\\slash\\', u: '\u00e9\u2603' },
    plain: 'str"ing',
    n: -1.5e3,
    t: true,
    nil: null,
    arr: [[], {}, [{}]],
  };
  for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2), '\ufeff' + JSON.stringify(value)]) {
    assert.deepEqual(Object.fromEntries(members(text)), value);
  }
  assert.deepEqual(members('{}'), []);
});

test('truncation anywhere is an error with position, never a shorter result', () => {
  const text = JSON.stringify({ openssl: { 'CVE-1': { description: 'x "quoted" y', releases: { bookworm: { status: 'open' } } } }, zlib: { 'CVE-2': {} } }, null, 1);
  for (let cut = 1; cut < text.length - 1; cut++) {
    const partial = text.slice(0, cut);
    assert.throws(() => members(partial), (e: SpyglassError) => e.code === 'feed_malformed' && e.context.file === 'feed.json' && typeof e.context.line === 'number', `cut at ${cut}`);
  }
});

test('malformed input: the error names line and column', () => {
  assert.throws(() => members('{\n  "a": 1,\n  "b" 2\n}'), (e: SpyglassError) => e.context.line === 3 && /expected ':'/.test(e.message));
  assert.throws(() => members('[1, 2]'), /expected a JSON object/);
  assert.throws(() => members('{"a": {"b": ]}}'), /unbalanced/);
  assert.throws(() => members('{"a": 1} trailing'), /after the top-level object/);
  assert.throws(() => members(''), /empty file/);
  const buf = Buffer.from('{\n"a": {"x": tru e}\n}');
  const scanner = new JsonObjectScanner(buf, 'f.json');
  assert.throws(() => scanner.forEachMember((_k, s, e) => scanner.parseValue(s, e)), (e: SpyglassError) => e.code === 'feed_malformed' && e.context.line === 2);
});
