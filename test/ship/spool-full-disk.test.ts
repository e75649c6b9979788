/**
 * A full disk under the spool (issue 18, item 8), on a real 1 MiB tmpfs: appends are refused
 * with a clear error and counted (never "fd out of range", never an accepted record lost);
 * delivering and acknowledging frees space and writing resumes by itself; positions are still
 * persisted (in place) so a restart sends nothing twice; close and a restart on the full disk
 * work. Needs root to mount the tmpfs; skipped, with the reason, otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Spool, type WriteFailureReport } from '../../src/ship/spool/spool.js';
import { createPipeline } from '../../src/ship/pipeline.js';
import type { Sink } from '../../src/ship/sink.js';

function mountTmpfs(sizeKiB: number): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-full-disk-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status === 0) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  return undefined;
}

function unmount(dir: string): void {
  const r = spawnSync('umount', [dir], { encoding: 'utf8' });
  if (r.status === 0) fs.rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`cannot unmount ${dir}: ${r.stderr}\n`);
}

/** Takes every free byte of the filesystem with one file. */
function fill(dir: string): string {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'a');
  const block = Buffer.alloc(4096, 1);
  try { for (;;) fs.writeSync(fd, block); } catch (err) {
    assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
  } finally { fs.closeSync(fd); }
  return filler;
}

const step = (m: string) => { if (process.env.FULL_DISK_DEBUG) process.stderr.write(`${new Date().toISOString()} ${m}\n`); };
const canMount = (() => { const d = mountTmpfs(64); if (d) unmount(d); return d !== undefined; })();
const skip = canMount ? false : 'mounting a small tmpfs needs root';
const event = (i: number) => JSON.stringify({ i, pad: 'f'.repeat(1000) });
/** larger than the free tail of any allocated page, so it needs new blocks */
const bigEvent = (i: number) => JSON.stringify({ i, pad: 'F'.repeat(16 << 10) });

test('a full disk is a counted, reported, recoverable state of the spool', { skip }, async () => {
  const mnt = mountTmpfs(1024)!;
  let spool: Spool | undefined;
  try {
    const dir = path.join(mnt, 'spool');
    const opts = { dir, maxBytes: 64 << 20, segmentBytes: 64 << 10, cursors: ['a'] };
    spool = await Spool.open(opts);
    const failures: WriteFailureReport[] = [];
    spool.on('write_failed', (f) => failures.push(f));
    const accepted: number[] = [];
    let refused = 0;
    const messages = new Set<string>();
    for (let i = 0; refused < 200; i += 50) {
      const open = spool;
      const wave = await Promise.allSettled(Array.from({ length: 50 }, (_, k) => open.append(event(i + k)).then(() => i + k)));
      for (const r of wave) {
        if (r.status === 'fulfilled') accepted.push(r.value);
        else { refused++; messages.add(`${(r.reason as { code: string }).code}: ${(r.reason as Error).message}`); }
      }
    }
    assert.deepEqual([...messages].map((m) => m.replace(/ \(.*\)/, '')), ['spool_write_failed: the spool cannot write: event not accepted']);
    assert.match([...messages][0]!, /no space left on the device/);
    assert.equal(spool.counters.rejectedRecords, refused, 'every refused append is counted');
    assert.ok(failures.length > 0 && failures.every((f) => f.code === 'ENOSPC'), 'and reported');

    step('// everything accepted is there');
    // everything accepted is there, once, in order; ids have no gaps despite the refusals
    const reader = spool.reader('a');
    const got = reader.read(1e9, 1e12);
    assert.deepEqual(got.map((r) => (JSON.parse(r.payload.toString()) as { i: number }).i), accepted);
    assert.deepEqual(got.map((r) => r.seq), accepted.map((_, k) => k + 1));

    step('// the sink delivered it all');
    // the sink delivered it all: with not one block free the checkpoint cannot make the cursor
    // file, yet it frees the space
    let filler = fill(mnt);
    reader.ack(got.at(-1)!.next);
    await spool.checkpoint();
    assert.equal(spool.segments.length, 1, 'acknowledged segments deleted although the position could not be written');
    assert.ok(spool.counters.checkpointFailures >= 1);
    step('// writing resumes by itself');
    // writing resumes by itself
    assert.equal(await spool.append(event(-1)), accepted.length + 1);
    await spool.checkpoint();
    const cursorFile = path.join(dir, 'cursors', 'a.json');
    assert.ok(fs.existsSync(cursorFile), 'the position is persisted again once there is room');

    step('// full again');
    // full again: the position is still persisted, in place
    fs.rmSync(filler);
    filler = fill(mnt);
    const more = reader.read(1e9, 1e12);
    assert.equal(more.length, 1);
    reader.ack(more[0]!.next);
    const failuresBefore = spool.counters.checkpointFailures;
    await spool.checkpoint();
    assert.equal(spool.counters.checkpointFailures, failuresBefore, 'in-place overwrite needs no new block');
    assert.equal((JSON.parse(fs.readFileSync(cursorFile, 'utf8')) as { seq: number }).seq, accepted.length + 2);
    await assert.rejects(spool.append(bigEvent(-2)), /no space left on the device/);

    step('// stopping on the full disk');
    // stopping on the full disk: no throw
    await spool.close();

    step('// a restart on the still-full disk');
    // a restart on the still-full disk opens, and sends nothing twice
    spool = await Spool.open(opts);
    assert.deepEqual(spool.reader('a').read(1e9, 1e12), [], 'nothing acknowledged is sent again');
    await assert.rejects(spool.append(bigEvent(-3)), /no space left on the device/);
    fs.rmSync(filler);
    const seq = await spool.append(event(-4));
    assert.equal(seq, accepted.length + 2, 'the refused appends left no gap in ids');
    assert.deepEqual(spool.reader('a').read(1e9, 1e12).map((r) => r.seq), [seq]);
    await spool.close();
  } finally {
    await spool?.close();
    unmount(mnt);
  }
});

test('the pipeline on a full disk: publish refuses with a clear error, status counts it, stop does not throw, the agent event arrives once there is room', { skip }, async () => {
  const mnt = mountTmpfs(512)!;
  try {
    const delivered: Array<{ kind: string; data: Record<string, unknown> }> = [];
    const memory = (name: string): Sink => ({
      name, type: 'memory',
      async send(events) { for (const e of events) delivered.push(e as never); return events.map(() => ({ status: 'delivered' as const })); },
      async close() {},
    });
    const cfg = { sinks: { mem: { type: 'stdout' as const } }, spool: { max_bytes: '64M', segment_bytes: '64K', checkpoint_interval: '50ms' } };
    const logs: string[] = [];
    const pipeline = await createPipeline(cfg, { stateDir: path.join(mnt, 'ship'), log: (m) => logs.push(m), sinkOverride: (name) => memory(name) });
    pipeline.start();
    const filler = fill(mnt);
    const r = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => pipeline.publish({ kind: 'agent', source: 'test', data: { i } })));
    assert.ok(r.every((x) => x.status === 'rejected' && /no space left on the device/.test(String(x.reason))), 'refused, with the reason');
    assert.equal(pipeline.status().spool.rejectedRecords, 20);
    assert.equal(logs.filter((l) => /spool: cannot write/.test(l)).length, 1, 'logged once, not once per event');
    fs.rmSync(filler);
    assert.equal(await pipeline.flush(5000), true);
    const report = delivered.find((e) => e.kind === 'agent' && e.data.action === 'spool_write_failed');
    assert.ok(report, 'the SIEM hears about it once the spool can write again');
    assert.equal(report.data.count, 20);
    assert.equal(report.data.code, 'ENOSPC');
    fill(mnt);
    await pipeline.stop(100);
  } finally { unmount(mnt); }
});
