import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bufferSource, forEachTopLevelMember, watchingSource } from './json-object-stream.js';
import type { SpyglassError } from '../../core/errors.js';

async function members(text: string | Buffer, maxChunk = Infinity, chunkSize?: number): Promise<Array<[string, unknown]>> {
  const out: Array<[string, unknown]> = [];
  await forEachTopLevelMember(bufferSource(Buffer.from(text), maxChunk), 'feed.json', (key, value) => out.push([key, value.parse()]), { chunkSize });
  return out;
}

const VALUE = {
  'a"b': { x: [1, 2, { y: 'z}]' }], s: 'back\\slash\\', u: '\u00e9\u2603' },
  plain: 'str"ing',
  n: -1.5e3,
  t: true,
  nil: null,
  arr: [[], {}, [{}]],
  last: 12345,
};

test('members equal what JSON.parse sees, read whole or in chunks of every size from 1 byte', async () => {
  for (const text of [JSON.stringify(VALUE), JSON.stringify(VALUE, null, 2), '\ufeff' + JSON.stringify(VALUE)]) {
    for (const chunk of [Infinity, 1, 2, 3, 5, 7, 13, 64]) {
      assert.deepEqual(Object.fromEntries(await members(text, chunk, chunk === Infinity ? undefined : chunk)), VALUE, `chunk ${chunk}`);
    }
  }
  assert.deepEqual(await members('{}'), []);
  assert.deepEqual(await members(' { } \n', 1, 1), []);
});

test('a member larger than the chunk size grows the read instead of failing', async () => {
  const big = { small: 1, huge: { items: Array.from({ length: 5000 }, (_, k) => ({ k, s: `value ${k}` })) }, after: 'x' };
  assert.deepEqual(Object.fromEntries(await members(JSON.stringify(big), Infinity, 1024)), big);
});

test('truncation at every byte is an error with position, never a shorter result', async () => {
  const text = JSON.stringify({ openssl: { 'CVE-1': { description: 'x "quoted" y', releases: { bookworm: { status: 'open' } } } }, zlib: { 'CVE-2': {} }, n: 10 }, null, 1);
  for (let cut = 0; cut < text.length - 1; cut++) {
    const partial = text.slice(0, cut);
    await assert.rejects(members(partial, 5, 5), (e: SpyglassError) => e.code === 'feed_malformed' && e.context.file === 'feed.json' && typeof e.context.line === 'number', `cut at ${cut}: ${JSON.stringify(partial.slice(-10))}`);
  }
});

test('malformed input: the error names line, column and byte offset, across chunk boundaries too', async () => {
  for (const chunk of [Infinity, 3]) {
    await assert.rejects(members('{\n  "a": 1,\n  "b" 2\n}', chunk, chunk === Infinity ? undefined : chunk), (e: SpyglassError) => e.context.line === 3 && e.context.column === 7 && e.context.offset === 18 && /expected ':'/.test(e.message));
  }
  await assert.rejects(members('[1, 2]'), /expected a JSON object/);
  await assert.rejects(members('{"a": {"b": ]}}'), /unbalanced/);
  await assert.rejects(members('{"a": 1} trailing'), /after the top-level object/);
  await assert.rejects(members(''), /empty file/);
  await assert.rejects(members('{\n"a": {"x": tru e}\n}'), (e: SpyglassError) => e.code === 'feed_malformed' && e.context.line === 2 && /invalid JSON in "a"/.test(e.message));
});

test('watchingSource finds a byte string even when reads cut it in two', async () => {
  const data = Buffer.from('{"x": {"releases": {"bookworm": {}}}}');
  for (const chunk of [1, 2, 3, 4, 100]) {
    const w = watchingSource(bufferSource(data, chunk), '"bookworm"');
    await forEachTopLevelMember(w.source, 'f', () => {}, { chunkSize: chunk });
    assert.equal(w.found(), true, `chunk ${chunk}`);
    const miss = watchingSource(bufferSource(data, chunk), '"trixie"');
    await forEachTopLevelMember(miss.source, 'f', () => {}, { chunkSize: chunk });
    assert.equal(miss.found(), false);
  }
});
