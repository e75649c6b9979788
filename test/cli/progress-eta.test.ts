/** The audit progress line's estimate of the time left. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etaText } from '../../src/audit/audit-command.js';

test('an ETA from the pace so far, only once it means something', () => {
  assert.equal(etaText(10_000, 50, 100), 'about 10s left');
  assert.equal(etaText(60_000, 30, 100), 'about 2m20s left');
  assert.equal(etaText(3_000, 50, 100), undefined, 'too early');
  assert.equal(etaText(30_000, 5, 100), undefined, 'under a tenth done');
  assert.equal(etaText(30_000, 100, 100), undefined, 'finished');
});
