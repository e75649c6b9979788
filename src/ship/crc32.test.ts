/** CRC-32 checked against known vectors and against gzip's own trailer (zlib computes it there). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { crc32 } from './crc32.js';

test('crc32 matches the standard check values', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32(Buffer.alloc(0)), 0);
  assert.equal(crc32(Buffer.from('The quick brown fox jumps over the lazy dog')), 0x414fa339);
});

test('crc32 agrees with the CRC zlib writes into gzip trailers, for every length and offset', () => {
  for (let len = 0; len < 300; len += 7) {
    const data = randomBytes(len + 3);
    const slice = data.subarray(3);
    const gz = gzipSync(slice);
    assert.equal(crc32(data, 3, data.length), gz.readUInt32LE(gz.length - 8), `length ${len}`);
  }
});

test('crc32 can be continued over pieces', () => {
  const data = randomBytes(1000);
  assert.equal(crc32(data, 500, 1000, crc32(data, 0, 500)), crc32(data));
});
