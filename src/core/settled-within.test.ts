import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settledWithin } from './settled-within.js';

test('settledWithin: true when the work ends in time (a rejection too), false at the limit', async () => {
  const started = Date.now();
  assert.equal(await settledWithin([Promise.resolve(1), Promise.reject(new Error('x'))], 5_000), true);
  assert.ok(Date.now() - started < 1_000, 'did not wait for the limit');
  assert.equal(await settledWithin(new Promise(() => {}), 50), false);
  assert.equal(await settledWithin([], 0), true, 'nothing to wait for');
  let ended = false;
  const slow = new Promise<void>((r) => setTimeout(() => { ended = true; r(); }, 30));
  assert.equal(await settledWithin(slow, 5_000), true);
  assert.equal(ended, true);
});
