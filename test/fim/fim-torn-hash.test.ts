/** A file truncated while it is hashed (#18 item 21): re-stat'ed after the read, hashed again, or reported torn, never the hash of a partial read with the old size. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { InspectorPool, HASH_ATTEMPTS } from '../../src/fim/inspector-pool.js';
import { tempTree } from './fim-fixture.js';

const MiB = 1 << 20;

function bigFile(file: string): Buffer {
  const bytes = Buffer.alloc(3 * MiB);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i % 251;
  fs.writeFileSync(file, bytes);
  return bytes;
}

test('truncated once while hashed: hashed again, the record describes the file as it is now', async () => {
  const { tree, cleanup } = tempTree();
  const file = path.join(tree, 'growing.log');
  const bytes = bigFile(file);
  const pool = new InspectorPool({ algorithms: ['sha256'], maxHashSize: 64 * MiB, maxContentSize: 0, workers: 1, truncateWhileReading: { [file]: 1 } });
  try {
    const [r] = await pool.inspect([{ path: file, machinePath: file }]);
    assert.ok(r && 'entry' in r, JSON.stringify(r));
    const half = bytes.subarray(0, Math.floor(bytes.length / 2));
    assert.equal(fs.statSync(file).size, half.length, 'the hook truncated the file');
    assert.equal(r.entry.size, half.length, 'the size after the truncation, not the one at open');
    assert.equal(r.entry.hashes.sha256, createHash('sha256').update(half).digest('hex'), 'the hash of the whole truncated file');
    assert.equal(r.entry.hashError, undefined);
  } finally {
    await pool.close();
    cleanup();
  }
});

test('truncated on every attempt: marked torn with no hash, never a partial hash with the old size', async () => {
  const { tree, cleanup } = tempTree();
  const file = path.join(tree, 'churning.log');
  bigFile(file);
  const pool = new InspectorPool({ algorithms: ['sha256'], maxHashSize: 64 * MiB, maxContentSize: 0, workers: 1, truncateWhileReading: { [file]: HASH_ATTEMPTS } });
  try {
    const [r] = await pool.inspect([{ path: file, machinePath: file }]);
    assert.ok(r && 'entry' in r, JSON.stringify(r));
    assert.match(r.entry.hashError ?? '', new RegExp(`^torn: the file changed while it was hashed \\(${HASH_ATTEMPTS} attempts`));
    assert.deepEqual(r.entry.hashes, {});
    assert.equal(r.entry.size, fs.statSync(file).size, 'the size it has now');
  } finally {
    await pool.close();
    cleanup();
  }
});
