/** Spool: append/read/ack across segments and restarts, torn tails, corruption, drop-oldest, deletion. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Spool, type SpoolReader } from './spool.js';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-spool-'));
}
const payload = (i: number) => Buffer.from(JSON.stringify({ i, pad: 'x'.repeat(100) }));
const ids = (reader: SpoolReader, max = 1e9) => reader.read(max, 1e12).map((r) => (JSON.parse(r.payload.toString()) as { i: number }).i);

test('records come back in order across segments and a restart, from the acknowledged position', async () => {
  const dir = tmp();
  try {
    let spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 4096, cursors: ['a', 'b'] });
    await Promise.all(Array.from({ length: 200 }, (_, i) => spool.append(payload(i))));
    assert.ok(spool.segments.length > 5, 'several segments');
    const a = spool.reader('a');
    const first = a.read(50, 1e9);
    assert.deepEqual(first.map((r) => r.seq), Array.from({ length: 50 }, (_, i) => i + 1));
    a.ack(first.at(-1)!.next);
    await spool.close();

    spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 4096, cursors: ['a', 'b'] });
    assert.deepEqual(ids(spool.reader('a')), Array.from({ length: 150 }, (_, i) => i + 50));
    assert.deepEqual(ids(spool.reader('b')), Array.from({ length: 200 }, (_, i) => i));
    // sequence ids continue after a restart
    assert.equal(await spool.append(payload(200)), 201);
    assert.deepEqual(ids(spool.reader('a')), [200]);
    await spool.close();
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('segments are deleted only when every cursor has acknowledged them', async () => {
  const dir = tmp();
  try {
    const spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 4096, cursors: ['a', 'b'] });
    await Promise.all(Array.from({ length: 200 }, (_, i) => spool.append(payload(i))));
    const segs = spool.segments.length;
    const a = spool.reader('a');
    const all = a.read(1e9, 1e12);
    a.ack(all.at(-1)!.next);
    await spool.checkpoint();
    assert.equal(spool.segments.length, segs, 'b still needs them');
    const b = spool.reader('b');
    b.ack(b.read(100, 1e12).at(-1)!.next);
    await spool.checkpoint();
    assert.ok(spool.segments.length < segs && spool.segments.length > 1);
    b.ack(b.read(1e9, 1e12).at(-1)!.next);
    await spool.checkpoint();
    assert.equal(spool.segments.length, 1, 'only the newest segment remains');
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.seg')).length, 1);
    await spool.close();
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('a torn tail is truncated at recovery and counted; earlier records survive', async () => {
  const dir = tmp();
  try {
    let spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 18, cursors: ['a'] });
    for (let i = 0; i < 10; i++) await spool.append(payload(i));
    await spool.close();
    const seg = path.join(dir, fs.readdirSync(dir).filter((f) => f.endsWith('.seg')).sort().at(-1)!);
    const size = fs.statSync(seg).size;
    fs.truncateSync(seg, size - 30); // the last record half written
    spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 18, cursors: ['a'] });
    assert.ok(spool.recovery.tornBytes > 0);
    assert.deepEqual(ids(spool.reader('a')), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(await spool.append(payload(99)), 10, 'the torn record\'s id is reused: it was never accepted whole');
    assert.deepEqual(ids(spool.reader('a')), [99]);
    await spool.close();
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('a corrupt record in the middle is skipped and counted, never fatal', async () => {
  const dir = tmp();
  try {
    let spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 18, cursors: ['a'] });
    for (let i = 0; i < 10; i++) await spool.append(payload(i));
    await spool.close();
    const seg = path.join(dir, fs.readdirSync(dir).filter((f) => f.endsWith('.seg')).sort()[0]!);
    const buf = fs.readFileSync(seg);
    const recLen = (buf.length - 8) / 10;
    buf[8 + recLen * 3 + 40] = buf[8 + recLen * 3 + 40]! ^ 0xff; // flip a payload byte of record 3
    buf.writeUInt32LE(0xffffff, 8 + recLen * 6); // wreck the length of record 6
    fs.writeFileSync(seg, buf);
    spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 18, cursors: ['a'] });
    const corrupt: number[] = [];
    spool.on('corrupt', (c) => corrupt.push(c.skippedRecords));
    assert.deepEqual(ids(spool.reader('a')), [0, 1, 2, 4, 5, 7, 8, 9]);
    assert.deepEqual(corrupt, [1, 1]);
    assert.equal(spool.reader('a').corrupt, 2);
    await spool.close();
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('when full, the oldest segment is dropped, counted per cursor and reported', async () => {
  const dir = tmp();
  try {
    const spool = await Spool.open({ dir, maxBytes: 16384, segmentBytes: 4096, cursors: ['slow', 'fast'] });
    const drops: number[] = [];
    spool.on('drop', (d) => drops.push(d.lostPerCursor.slow!));
    const fast = spool.reader('fast');
    for (let i = 0; i < 400; i++) {
      await spool.append(payload(i));
      const got = fast.read(1e9, 1e12);
      if (got.length) fast.ack(got.at(-1)!.next);
    }
    assert.ok(spool.totalBytes() <= 16384, `total ${spool.totalBytes()}`);
    const slow = spool.reader('slow');
    const kept = ids(slow);
    const lost = drops.reduce((a, b) => a + b, 0);
    assert.ok(lost > 0);
    assert.equal(kept.length + lost, 400, 'every record is either kept or counted as dropped');
    assert.deepEqual(kept, Array.from({ length: kept.length }, (_, i) => 400 - kept.length + i), 'the newest are kept');
    assert.equal(slow.dropped, lost);
    assert.equal(fast.dropped, 0, 'a cursor that had acknowledged loses nothing');
    await spool.close();
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('cursor files of sinks no longer configured are removed; a new sink starts at the oldest record', async () => {
  const dir = tmp();
  try {
    let spool = await Spool.open({ dir, maxBytes: 1 << 20, cursors: ['old'] });
    for (let i = 0; i < 5; i++) await spool.append(payload(i));
    const r = spool.reader('old');
    r.ack(r.read(2, 1e9).at(-1)!.next);
    await spool.close();
    assert.ok(fs.existsSync(path.join(dir, 'cursors/old.json')));
    spool = await Spool.open({ dir, maxBytes: 1 << 20, cursors: ['new'] });
    assert.ok(!fs.existsSync(path.join(dir, 'cursors/old.json')));
    assert.deepEqual(ids(spool.reader('new')), [0, 1, 2, 3, 4]);
    await spool.close();
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('oversized records are refused with a clear error', async () => {
  const dir = tmp();
  try {
    const spool = await Spool.open({ dir, maxBytes: 1 << 20, maxRecordBytes: 1000, cursors: ['a'] });
    await assert.rejects(spool.append(Buffer.alloc(2000)), /larger than the spool's limit of 1000 bytes/);
    await spool.close();
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('recovery reads no more than the newest segment (50 000 records, 40 segments)', async () => {
  const dir = tmp();
  try {
    let spool = await Spool.open({ dir, maxBytes: 64 << 20, segmentBytes: 200_000, durability: 'write', cursors: ['a'] });
    const batch: Promise<number>[] = [];
    for (let i = 0; i < 50_000; i++) batch.push(spool.append(payload(i)));
    await Promise.all(batch);
    await spool.close();
    const t0 = performance.now();
    spool = await Spool.open({ dir, maxBytes: 64 << 20, segmentBytes: 200_000, durability: 'write', cursors: ['a'] });
    const ms = performance.now() - t0;
    assert.ok(spool.segments.length > 30);
    assert.equal(spool.headSeq, 50_001);
    assert.ok(ms < 500, `recovery took ${ms} ms`);
    await spool.close();
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});
