import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, promises as fsp, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bufferAccess, fileAccess, ZipReader } from './zip-reader.js';
import { writeZip } from './zip-writer.test-helpers.js';
import type { SpyglassError } from '../../core/errors.js';

const files = [
  { name: 'DSA-1.json', data: '{"id":"DSA-1"}' },
  { name: 'dir/DSA-2.json', data: 'x'.repeat(5000), store: true },
  { name: 'empty.json', data: '' },
];

const open = (buf: Buffer, name: string) => ZipReader.open(bufferAccess(buf), name);

test('reads stored and deflated entries, plain and ZIP64 end records', async () => {
  for (const zip64 of [false, true]) {
    const zip = await open(writeZip(files, { zip64 }), 'feed.zip');
    assert.deepEqual(zip.entries.map((e) => e.name), files.map((f) => f.name));
    assert.deepEqual(await Promise.all(zip.entries.map(async (e) => (await zip.read(e)).toString())), files.map((f) => f.data));
  }
});

test('an archive made by Info-ZIP `zip` reads back byte for byte', async (t) => {
  if (spawnSync('zip', ['-v']).status !== 0) {
    t.skip('zip is not installed');
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spyglass-zip-'));
  try {
    const contents: Record<string, string> = {};
    for (let k = 0; k < 50; k++) {
      contents[`GHSA-${k}.json`] = JSON.stringify({ id: `R-${k}`, details: 'lorem ipsum '.repeat(k * 10) });
      writeFileSync(path.join(dir, `GHSA-${k}.json`), contents[`GHSA-${k}.json`]!);
    }
    assert.equal(spawnSync('zip', ['-q', '-r', 'all.zip', '.', '-i', '*.json'], { cwd: dir }).status, 0);
    const handle = await fsp.open(path.join(dir, 'all.zip'), 'r');
    try {
      const zip = await ZipReader.open(await fileAccess(handle), 'all.zip');
      assert.equal(zip.entries.length, 50);
      for (const e of zip.entries) assert.equal((await zip.read(e)).toString(), contents[e.name]);
    } finally {
      await handle.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('truncated, damaged and foreign archives are errors naming the file and offset', async () => {
  const good = writeZip(files);
  await assert.rejects(open(good.subarray(0, good.length - 30), 'cut.zip'), (e: SpyglassError) => e.code === 'feed_zip_invalid' && /cut\.zip: .*(truncated|no end-of-central)/.test(e.message));
  await assert.rejects(open(good.subarray(0, good.length - 100), 'cut2.zip'), (e: SpyglassError) => e.code === 'feed_zip_invalid');
  await assert.rejects(open(Buffer.from('just text, not a zip archive at all'), 'text.zip'), /no end-of-central-directory/);
  const flipped = Buffer.from(good);
  flipped[40] = flipped[40]! ^ 0xff; // inside the first entry's deflated data
  const zip = await open(flipped, 'flip.zip');
  await assert.rejects(zip.read(zip.entries[0]!), (e: SpyglassError) => e.code === 'feed_zip_invalid' && e.context.offset !== undefined && /DSA-1\.json/.test(e.message));
});
