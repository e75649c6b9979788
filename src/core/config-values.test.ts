import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { duration, formatDuration, formatSize, parseDuration, parseSize, size } from './config-values.js';

test('durations: units, bare seconds, bounds and a clear error', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('15m'), 900_000);
  assert.equal(parseDuration('6h'), 6 * 3_600_000);
  assert.equal(parseDuration('1.5d'), 36 * 3_600_000);
  assert.equal(parseDuration(90), 90_000, 'a bare number is seconds');
  assert.equal(parseDuration('90'), undefined, 'a string needs a unit');
  assert.equal(parseDuration(-1), undefined);
  const schema = z.object({ t: duration({ min: 1000 }).prefault('15m') });
  assert.equal(schema.parse({}).t, 900_000, 'the default is written as a user writes it');
  const bad = schema.safeParse({ t: 'soon' });
  assert.ok(!bad.success && /expected a duration like "30s"/.test(bad.error.issues[0]!.message));
  const small = schema.safeParse({ t: '10ms' });
  assert.ok(!small.success && /at least 1s/.test(small.error.issues[0]!.message));
  assert.equal(formatDuration(90_000), '90s');
  assert.equal(formatDuration(1500), '1500ms');
});

test('sizes: K/M/G (1024), KB and KiB spellings, bare bytes', () => {
  assert.equal(parseSize('64K'), 64 * 1024);
  assert.equal(parseSize('64KiB'), 64 * 1024);
  assert.equal(parseSize('256m'), 256 * 1024 ** 2);
  assert.equal(parseSize('1G'), 1024 ** 3);
  assert.equal(parseSize(4096), 4096);
  assert.equal(parseSize('lots'), undefined);
  assert.equal(parseSize(1.5), undefined, 'bytes are whole');
  assert.equal(size().parse('2M'), 2 * 1024 ** 2);
  assert.equal(formatSize(256 * 1024 ** 2), '256M');
});
