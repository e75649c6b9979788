/**
 * The spool under hostile and damaged input (issue 18, items 8-9): generated cases of truncated,
 * emptied, overwritten and bit-flipped segments, things that are not files named like segments,
 * garbage cursor files, oversized records. For every case: opening and reading never throw, every
 * record read is exactly what was written, and every record not read is counted and reported
 * (skipped as corrupt by the reader, or cut as a torn tail at recovery): no silent loss.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Spool, type CorruptReport } from '../../src/ship/spool/spool.js';
import { inspectSpool } from '../../src/ship/spool/inspect.js';
import { createPipeline } from '../../src/ship/pipeline.js';
import type { Sink } from '../../src/ship/sink.js';

const N = 150;
const SEGMENT_BYTES = 4096;
const payloadOf = (i: number) => JSON.stringify({ i, pad: 'p'.repeat(60 + (i % 40)) });

/** A small deterministic PRNG so every run tries the same cases. */
function prng(seed: number): () => number {
  let x = seed >>> 0;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 0x100000000; };
}

let template: string | undefined;
process.on('exit', () => { if (template) fs.rmSync(template, { recursive: true, force: true }); });

/** A fresh copy of one spool of N records written by the spool itself (built once: fsync is slow). */
async function buildSpool(): Promise<{ dir: string; segments: string[] }> {
  if (!template) {
    template = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-spool-hostile-template-'));
    const spool = await Spool.open({ dir: template, maxBytes: 1 << 20, segmentBytes: SEGMENT_BYTES, cursors: [] });
    for (let i = 1; i <= N; i++) assert.equal(await spool.append(payloadOf(i)), i);
    await spool.close();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-spool-hostile-'));
  fs.cpSync(template, dir, { recursive: true });
  const segments = fs.readdirSync(dir).filter((f) => f.endsWith('.seg')).sort();
  assert.ok(segments.length >= 4, `${segments.length} segments`);
  return { dir, segments };
}

interface Outcome { delivered: number[]; skipped: number; tornLost: number; tornBytes: number; corrupt: CorruptReport[] }

/** Opens the damaged spool as the agent would, reads everything, and checks the accounting. */
async function openAndReadAll(dir: string, what: string): Promise<Outcome> {
  const spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: SEGMENT_BYTES, durability: 'write', cursors: ['a'] });
  const corrupt: CorruptReport[] = [];
  spool.on('corrupt', (c) => corrupt.push(c));
  const delivered: number[] = [];
  const reader = spool.reader('a');
  for (;;) {
    const got = reader.read(50, 1 << 20);
    if (got.length === 0) break;
    for (const r of got) {
      const i = (JSON.parse(r.payload.toString()) as { i: number }).i;
      assert.equal(r.seq, i, `${what}: a record carries its own id`);
      assert.equal(r.payload.toString(), payloadOf(i), `${what}: record ${i} reads back as written`);
      delivered.push(i);
    }
    reader.ack(got.at(-1)!.next);
  }
  const tornBytes = spool.recovery.tornBytes;
  // ids at and after the recovered head were cut with the newest segment's tail
  const tornLost = N + 1 - spool.headSeq;
  await spool.checkpoint();
  await spool.close();
  const skipped = corrupt.reduce((n, c) => n + c.skippedRecords, 0);
  assert.deepEqual(delivered, [...delivered].sort((a, b) => a - b), `${what}: in order`);
  assert.equal(new Set(delivered).size, delivered.length, `${what}: no record twice`);
  assert.equal(delivered.length + skipped + tornLost, N, `${what}: ${delivered.length} read + ${skipped} counted corrupt + ${tornLost} torn = every record`);
  if (skipped > 0) assert.ok(corrupt.length > 0, `${what}: skipped records are reported`);
  if (tornLost > 0) assert.ok(tornBytes > 0, `${what}: a cut tail is reported`);
  assert.equal(reader.corrupt >= skipped, true, `${what}: the sink's status counts them`);
  return { delivered, skipped, tornLost, tornBytes, corrupt };
}

type Damage = { name: string; apply: (dir: string, segments: string[]) => void };

function damageCases(): Damage[] {
  const cases: Damage[] = [];
  const rnd = prng(1811);
  const file = (dir: string, seg: string) => path.join(dir, seg);
  const middle = (segs: string[]) => segs[Math.floor(segs.length / 2)]!;
  const newest = (segs: string[]) => segs.at(-1)!;
  const oldest = (segs: string[]) => segs[0]!;
  const which = { oldest, middle, newest } as const;
  for (const [label, pick] of Object.entries(which)) {
    // cuts inside a record: the newest segment's is a torn tail, an older one's is skipped
    for (const back of [1, 7, 23, 61]) {
      cases.push({ name: `${label} segment loses its last ${back} bytes`, apply: (d, s) => { const f = file(d, pick(s)); fs.truncateSync(f, fs.statSync(f).size - back); } });
    }
    cases.push({ name: `${label} segment overwritten with random bytes`, apply: (d, s) => { const f = file(d, pick(s)); const b = Buffer.alloc(fs.statSync(f).size); for (let i = 0; i < b.length; i++) b[i] = Math.floor(rnd() * 256); fs.writeFileSync(f, b); } });
    cases.push({ name: `${label} segment's magic damaged`, apply: (d, s) => { const fd = fs.openSync(file(d, pick(s)), 'r+'); fs.writeSync(fd, Buffer.from('XXXXXXXX'), 0, 8, 0); fs.closeSync(fd); } });
    cases.push({ name: `${label} segment's first record claims 4 GiB`, apply: (d, s) => { const fd = fs.openSync(file(d, pick(s)), 'r+'); const b = Buffer.alloc(4); b.writeUInt32LE(0xffffffff); fs.writeSync(fd, b, 0, 4, 8); fs.closeSync(fd); } });
    cases.push({ name: `${label} segment's first record claims more than the file`, apply: (d, s) => { const fd = fs.openSync(file(d, pick(s)), 'r+'); const b = Buffer.alloc(4); b.writeUInt32LE(SEGMENT_BYTES * 2); fs.writeSync(fd, b, 0, 4, 8); fs.closeSync(fd); } });
    cases.push({ name: `${label} segment's first record claims length 0`, apply: (d, s) => { const fd = fs.openSync(file(d, pick(s)), 'r+'); fs.writeSync(fd, Buffer.alloc(4), 0, 4, 8); fs.closeSync(fd); } });
  }
  for (const [label, pick] of Object.entries({ oldest, middle })) {
    cases.push({ name: `${label} segment emptied to 0 bytes`, apply: (d, s) => fs.truncateSync(file(d, pick(s)), 0) });
    cases.push({ name: `${label} segment cut to its magic`, apply: (d, s) => fs.truncateSync(file(d, pick(s)), 8) });
    cases.push({ name: `${label} segment cut in half`, apply: (d, s) => { const f = file(d, pick(s)); fs.truncateSync(f, Math.floor(fs.statSync(f).size / 2)); } });
  }
  cases.push({ name: 'a middle segment deleted', apply: (d, s) => fs.rmSync(file(d, middle(s))) });
  cases.push({ name: 'a middle segment replaced by a directory', apply: (d, s) => { fs.rmSync(file(d, middle(s))); fs.mkdirSync(file(d, middle(s))); } });
  cases.push({ name: 'a middle segment replaced by a symlink to /etc/passwd', apply: (d, s) => { fs.rmSync(file(d, middle(s))); fs.symlinkSync('/etc/passwd', file(d, middle(s))); } });
  cases.push({ name: 'a directory named like the next segment', apply: (d) => fs.mkdirSync(path.join(d, String(N + 1).padStart(16, '0') + '.seg')) });
  cases.push({ name: 'a directory named like an older segment than any', apply: (d) => fs.mkdirSync(path.join(d, '0000000000000000.seg')) });
  if (spawnSync('mkfifo', ['--version']).status === 0) {
    cases.push({ name: 'a FIFO named like the next segment', apply: (d) => { spawnSync('mkfifo', [path.join(d, String(N + 1).padStart(16, '0') + '.seg')]); } });
  }
  // two adjacent segments swapped in content: every record is still valid, only in the wrong file
  cases.push({ name: 'two segments swapped', apply: (d, s) => { const a = file(d, s[1]!); const b = file(d, s[2]!); const t = fs.readFileSync(a); fs.writeFileSync(a, fs.readFileSync(b)); fs.writeFileSync(b, t); } });
  // seeded bit flips and byte runs anywhere in the spool
  for (let k = 0; k < 60; k++) {
    const r1 = rnd(); const r2 = rnd(); const bit = Math.floor(rnd() * 8);
    cases.push({ name: `bit flip #${k}`, apply: (d, s) => { const f = file(d, s[Math.floor(r1 * s.length)]!); const b = fs.readFileSync(f); const at = 8 + Math.floor(r2 * (b.length - 8)); b[at]! ^= 1 << bit; fs.writeFileSync(f, b); } });
  }
  for (let k = 0; k < 20; k++) {
    const r1 = rnd(); const r2 = rnd(); const fill = k % 2 ? 0xff : 0x00;
    cases.push({ name: `16-byte ${fill ? '0xff' : 'zero'} run #${k}`, apply: (d, s) => { const f = file(d, s[Math.floor(r1 * s.length)]!); const b = fs.readFileSync(f); const at = 8 + Math.floor(r2 * (b.length - 24)); b.fill(fill, at, at + 16); fs.writeFileSync(f, b); } });
  }
  return cases;
}

test('damaged segments: every record is read intact or counted and reported, never a crash', { timeout: 120_000 }, async () => {
  const cases = damageCases();
  assert.ok(cases.length >= 100, `${cases.length} cases`);
  let lostSomewhere = 0;
  for (const c of cases) {
    const { dir, segments } = await buildSpool();
    try {
      c.apply(dir, segments);
      const out = await openAndReadAll(dir, c.name);
      if (out.skipped + out.tornLost > 0) lostSomewhere++;
      if (process.env.SPOOL_HOSTILE_DEBUG) process.stderr.write(`${c.name}: read ${out.delivered.length}, corrupt ${out.skipped}, torn ${out.tornLost} (${out.tornBytes} bytes)\n`);
      // and the read-only inspection of the same damaged spool does not throw either
      const info = inspectSpool(dir);
      assert.ok(info.headSeq >= 1, c.name);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  }
  assert.ok(lostSomewhere > cases.length / 2, 'the cases did damage records');
});

test('things named like segments that are not files are moved aside, reported, never opened', async () => {
  const { dir, segments } = await buildSpool();
  try {
    const mid = segments[2]!;
    fs.rmSync(path.join(dir, mid));
    fs.mkdirSync(path.join(dir, mid));
    const next = String(N + 1).padStart(16, '0') + '.seg';
    fs.mkdirSync(path.join(dir, next));
    assert.deepEqual(inspectSpool(dir).strays, [mid, next]);
    const spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: SEGMENT_BYTES, cursors: ['a'] });
    assert.deepEqual(spool.recovery.strays, [mid, next]);
    assert.ok(fs.statSync(path.join(dir, `${next}.not-a-segment`)).isDirectory());
    assert.equal(await spool.append(payloadOf(N + 1)), N + 1, 'the writer creates the segment the directory was squatting');
    await spool.close();
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

const GARBAGE_CURSORS: Array<[string, string | Buffer]> = [
  ['empty', ''], ['spaces', '   \n'], ['null', 'null'], ['a number', '42'], ['an array', '[1,2,3]'], ['an empty object', '{}'],
  ['seq only', '{"seq":5}'], ['strings', '{"seq":"5","segment":"1","offset":"8"}'], ['negative', '{"seq":-5,"segment":1,"offset":8}'],
  ['fractional', '{"seq":1.5,"segment":1,"offset":8}'], ['overflowing', '{"seq":1e400,"segment":1,"offset":8}'], ['NaN text', '{"seq":NaN,"segment":1,"offset":8}'],
  ['truncated JSON', '{"seq":12,"segm'], ['a BOM', '\ufeff{"seq":12,"segment":1,"offset":8}'], ['binary', Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80])],
  ['a megabyte of x', 'x'.repeat(1 << 20)], ['nested', '{"seq":{"seq":1},"segment":1,"offset":8}'],
];

test('garbage cursor files: reported, the sink restarts at the oldest record (nothing lost), ship status shows it', async () => {
  for (const [what, content] of [...GARBAGE_CURSORS, ['a directory', 'DIR'] as [string, string]]) {
    const { dir } = await buildSpool();
    try {
      const file = path.join(dir, 'cursors', 'a.json');
      if (content === 'DIR') fs.mkdirSync(file); else fs.writeFileSync(file, content);
      const info = inspectSpool(dir);
      assert.equal(info.sinks.find((s) => s.sink === 'a')?.invalid !== undefined, true, `${what}: ship status says the cursor is unusable`);
      const spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: SEGMENT_BYTES, cursors: ['a'] });
      assert.equal(spool.recovery.invalidCursors.length, 1, what);
      assert.equal(spool.recovery.invalidCursors[0]!.cursor, 'a');
      const got = spool.reader('a').read(1e9, 1e12);
      assert.equal(got.length, N, `${what}: every record is still delivered`);
      spool.reader('a').ack(got.at(-1)!.next);
      await spool.checkpoint();
      assert.equal(spool.counters.checkpointFailures, 0, `${what}: the position is written again`);
      await spool.close();
      const reopened = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: SEGMENT_BYTES, cursors: ['a'] });
      assert.deepEqual(reopened.recovery.invalidCursors, [], `${what}: repaired by the checkpoint`);
      assert.equal(reopened.reader('a').read(1e9, 1e12).length, 0);
      await reopened.close();
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  }
});

test('cursor positions that are well-formed but wrong: past the head is reported and clamped; a wrong offset skips nothing silently', async () => {
  const { dir, segments } = await buildSpool();
  try {
    fs.writeFileSync(path.join(dir, 'cursors', 'ahead.json'), JSON.stringify({ seq: 10_000, segment: 1, offset: 8 }));
    // offset into the middle of a record, and an offset pointing at a later record than seq says
    fs.writeFileSync(path.join(dir, 'cursors', 'midrecord.json'), JSON.stringify({ seq: 3, segment: 1, offset: 8 + 200 + 5 }));
    const first = Number(segments[1]!.slice(0, 16));
    fs.writeFileSync(path.join(dir, 'cursors', 'farther.json'), JSON.stringify({ seq: 2, segment: first, offset: 8 }));
    const spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: SEGMENT_BYTES, cursors: ['ahead', 'midrecord', 'farther'] });
    const corrupt: CorruptReport[] = [];
    spool.on('corrupt', (c) => corrupt.push(c));
    assert.match(spool.recovery.invalidCursors.map((c) => `${c.cursor}: ${c.reason}`).join('\n'), /^ahead: position 10000 is past the spool's head 151/);
    assert.equal(spool.reader('ahead').read(1e9, 1e12).length, 0);
    const mid = spool.reader('midrecord').read(1e9, 1e12).map((r) => r.seq);
    assert.ok(mid[0]! >= 3, 'midrecord: nothing before its position is sent again');
    const midSkipped = corrupt.filter((c) => c.cursor === 'midrecord').reduce((n, c) => n + c.skippedRecords, 0);
    assert.equal(mid.length + midSkipped, N - 2, 'midrecord: every record from 3 on is read or counted');
    const far = spool.reader('farther').read(1e9, 1e12).map((r) => r.seq);
    const farSkipped = corrupt.filter((c) => c.cursor === 'farther').reduce((n, c) => n + c.skippedRecords, 0);
    assert.equal(far[0], first);
    assert.equal(farSkipped, first - 2, 'farther: the records it jumped over are counted');
    await spool.close();
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('oversized records: refused at append with a clear error and counted; records already spooled survive a lower limit', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-spool-hostile-'));
  try {
    let spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 17, maxRecordBytes: 64 << 10, cursors: ['a'] });
    const big = 'b'.repeat(60 << 10);
    await spool.append(JSON.stringify({ big }));
    await assert.rejects(spool.append(Buffer.alloc((64 << 10) + 1)), (e: Error & { code?: string }) => e.code === 'spool_record_too_large' && /larger than the spool's limit of 65536 bytes/.test(e.message));
    await assert.rejects(spool.append('x'.repeat(10 << 20)), /larger than the spool's limit/);
    assert.equal(spool.counters.refusedTooLarge, 2);
    await spool.close();
    // the limit lowered in the configuration: the 60 KiB record already accepted is still delivered
    spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 17, maxRecordBytes: 2048, cursors: ['a'] });
    const got = spool.reader('a').read(10, 1e9);
    assert.equal(got.length, 1);
    assert.equal((JSON.parse(got[0]!.payload.toString()) as { big: string }).big.length, big.length);
    assert.equal(spool.counters.corruptRecords, 0);
    await spool.close();
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('spool_dropped sums what every dropped segment cost each sink, not only the last segment', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-spool-hostile-'));
  try {
    const delivered: Array<{ kind: string; data: Record<string, unknown> }> = [];
    const sinks: Record<string, Sink> = {
      fast: { name: 'fast', type: 'memory', async send(events) { for (const e of events) delivered.push(e as never); return events.map(() => ({ status: 'delivered' as const })); }, async close() {} },
      stuck: { name: 'stuck', type: 'memory', async send(events) { return events.map(() => ({ status: 'retry' as const, reason: 'receiver down' })); }, async close() {} },
    };
    const pipeline = await createPipeline({ sinks: { fast: { type: 'stdout' }, stuck: { type: 'stdout' } }, spool: { max_bytes: '64K', segment_bytes: '4K', durability: 'write' } },
      { stateDir: dir, log: () => {}, sinkOverride: (name) => sinks[name]! });
    let drops = 0;
    let droppedForStuck = 0;
    pipeline.spool.on('drop', (d) => { drops++; droppedForStuck += d.lostPerCursor.stuck ?? 0; });
    pipeline.start();
    for (let i = 0; i < 1500; i++) await pipeline.publish({ kind: 'fim', source: 'test', data: { i, pad: 'd'.repeat(200) } });
    // the report is built from the drops so far when flush() starts (only appends drop segments)
    const expected = droppedForStuck;
    assert.ok(drops > 10, `${drops} segments dropped`);
    assert.equal(pipeline.status().sinks.find((s) => s.sink === 'stuck')!.dropped, expected, 'the sink status counts them');
    await pipeline.flush(1500);
    await pipeline.stop(0);
    const reports = delivered.filter((e) => e.kind === 'agent' && e.data.action === 'spool_dropped');
    assert.ok(reports.length >= 1);
    const lost = reports[0]!.data.lost_per_sink as Record<string, number>;
    assert.equal(lost.stuck, expected, `one report adds up all ${drops} drops of its period`);
    assert.ok(lost.stuck! > 100);
    assert.equal(reports[0]!.data.count, lost.stuck);
    assert.equal(lost.fast, 0);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});
