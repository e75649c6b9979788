/** Realtime monitoring with real inotify: every change kind, renames, directories, overflow, watch limit, restart, bursts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { FimMonitor } from '../../src/fim/fim-monitor.js';
import { overflowChunk } from '../../src/fim/inotify-tree.js';
import { fimRuntime, tempTree, until } from './fim-fixture.js';

async function started(dir: string, tree: string, extra: Record<string, unknown> = {}) {
  const fx = await fimRuntime(dir, { watch: [{ path: tree, category: 'test' }], ...extra });
  const monitor = new FimMonitor(fx.rt, { moveWaitMs: 30 });
  await monitor.start();
  return { ...fx, monitor, async stop() { await monitor.stop(); await fx.rt.close(); } };
}

test('realtime: create, modify, chmod, chown, delete, each completed with stat and hash and old/new values', async () => {
  const { dir, tree, cleanup } = tempTree();
  const m = await started(dir, tree);
  try {
    const f = path.join(tree, 'file');
    fs.writeFileSync(f, 'v1');
    await until(() => !!m.publisher.find('created', f), 3000, 'created');
    const created = m.publisher.find('created', f)!;
    assert.equal(created.detection, 'realtime');
    assert.equal(created.category, 'test');
    assert.equal(created.hashes!.sha256, createHash('sha256').update('v1').digest('hex'));
    assert.equal(created.owner, 'root');
    assert.equal(created.size, 2);
    fs.writeFileSync(f, 'version 2');
    await until(() => !!m.publisher.find('modified', f), 3000, 'modified');
    assert.deepEqual(m.publisher.find('modified', f)!.changes!.size, { old: 2, new: 9 });
    fs.chmodSync(f, 0o600);
    await until(() => m.publisher.events.some((e) => e.action === 'attributes' && e.path === f && !!e.changes?.mode), 3000, 'chmod');
    fs.chownSync(f, 65534, 65534);
    await until(() => m.publisher.events.some((e) => e.path === f && !!e.changes?.uid), 3000, 'chown');
    const chown = m.publisher.events.find((e) => e.path === f && e.changes?.uid)!;
    assert.deepEqual(chown.changes!.owner, { old: 'root', new: 'nobody' });
    fs.unlinkSync(f);
    await until(() => !!m.publisher.find('deleted', f), 3000, 'deleted');
    assert.equal(m.rt.store.get(f), undefined, 'the baseline follows');
  } finally {
    await m.stop();
    cleanup();
  }
});

test('realtime: rename over a watched file (binary replacement), moves of files and directories, new directories watched, symlinks never followed', async () => {
  const { dir, tree, cleanup } = tempTree();
  fs.writeFileSync(path.join(tree, 'sudo'), 'real sudo');
  fs.mkdirSync(path.join(tree, 'd1/inner'), { recursive: true });
  fs.writeFileSync(path.join(tree, 'd1/inner/f'), 'x');
  const outside = path.join(dir, 'outside');
  fs.mkdirSync(outside);
  const m = await started(dir, tree);
  try {
    const sudo = path.join(tree, 'sudo');
    fs.writeFileSync(path.join(tree, '.sudo.tmp'), 'trojan');
    fs.renameSync(path.join(tree, '.sudo.tmp'), sudo);
    await until(() => m.publisher.events.some((e) => e.path === sudo && e.action === 'modified'), 3000, 'rename over');
    const ev = m.publisher.events.find((e) => e.path === sudo && e.action === 'modified')!;
    assert.ok(ev.changes!.hashes && ev.changes!.inode, JSON.stringify(ev));
    // the replaced file is still watched
    fs.writeFileSync(sudo, 'trojan v2');
    await until(() => m.publisher.events.filter((e) => e.path === sudo && e.action === 'modified').length >= 2, 3000, 'still watched after rename');

    fs.renameSync(path.join(tree, 'd1'), path.join(tree, 'd2'));
    await until(() => !!m.publisher.find('moved', path.join(tree, 'd2')), 3000, 'dir move');
    assert.equal(m.publisher.find('moved', path.join(tree, 'd2'))!.old_path, path.join(tree, 'd1'));
    assert.ok(m.rt.store.get(path.join(tree, 'd2/inner/f')), 'records below follow the move');
    fs.writeFileSync(path.join(tree, 'd2/inner/f'), 'changed after the move');
    await until(() => !!m.publisher.find('modified', path.join(tree, 'd2/inner/f')), 3000, 'watch follows the moved dir');

    fs.renameSync(path.join(tree, 'd2/inner/f'), path.join(tree, 'f-moved'));
    await until(() => !!m.publisher.find('moved', path.join(tree, 'f-moved')), 3000, 'file move');

    fs.mkdirSync(path.join(tree, 'new/a/b'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'new/a/b/late'), 'y');
    await until(() => !!m.publisher.find('created', path.join(tree, 'new/a/b/late')), 3000, 'file in a new directory');
    fs.writeFileSync(path.join(tree, 'new/a/b/late'), 'yy');
    await until(() => !!m.publisher.find('modified', path.join(tree, 'new/a/b/late')), 3000, 'new directory watched');

    fs.renameSync(path.join(tree, 'new'), path.join(outside, 'new'));
    await until(() => !!m.publisher.find('deleted', path.join(tree, 'new/a/b/late')), 3000, 'moved out of the tree = deleted');

    fs.symlinkSync(outside, path.join(tree, 'escape'));
    fs.symlinkSync('loop2', path.join(tree, 'loop1'));
    fs.symlinkSync('loop1', path.join(tree, 'loop2'));
    await until(() => !!m.publisher.find('created', path.join(tree, 'loop2')), 3000, 'symlink loop recorded');
    assert.equal(m.publisher.find('created', path.join(tree, 'escape'))!.target, outside);
    fs.writeFileSync(path.join(outside, 'not-watched'), 'z');
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!m.publisher.events.some((e) => e.path.includes('not-watched')), 'links are not followed out of the tree');
  } finally {
    await m.stop();
    cleanup();
  }
});

test('queue overflow (injected) triggers a rescan reported as overflow-rescan; the watch limit is reported and falls back to scanning', async () => {
  const { dir, tree, cleanup } = tempTree();
  for (const d of ['a', 'b', 'c', 'd']) fs.mkdirSync(path.join(tree, d));
  const m = await started(dir, tree, { max_watches: 3, fallback_scan_interval: 3600 });
  try {
    // limit: 5 directories, 3 watches
    assert.equal(m.monitor.unwatchedDirectories.length, 2);
    const limit = m.publisher.events.find((e) => e.action === 'watch_limit')!;
    assert.equal(limit.unwatched, 2);
    const lost = path.join(m.monitor.unwatchedDirectories[0]!, 'in-unwatched');
    fs.writeFileSync(lost, 'q');
    await new Promise((r) => setTimeout(r, 150));
    assert.ok(!m.publisher.find('created', lost), 'no watch, no realtime event');
    const counts = await m.monitor.fallbackScan();
    assert.equal(counts!.created, 1);
    assert.equal(m.publisher.find('created', lost)!.detection, 'scan');

    // overflow: a change made while "events were lost" is found by the rescan
    const watchedFile = path.join(tree, 'during-overflow');
    m.monitor.onChunk(overflowChunk());
    fs.writeFileSync(watchedFile, 'w');
    await until(() => m.publisher.events.some((e) => e.action === 'overflow'), 3000, 'overflow notice');
    await until(() => m.publisher.events.some((e) => e.path === watchedFile && e.action === 'created'), 3000, 'rescan');
    await until(() => m.publisher.events.some((e) => e.action === 'scan_completed' && e.reason === 'overflow'), 3000, 'rescan summary');
    assert.equal(m.monitor.stats.overflows, 1);
    assert.ok(m.publisher.events.some((e) => e.path === watchedFile && (e.detection === 'overflow-rescan' || e.detection === 'realtime')));
    fs.writeFileSync(path.join(tree, 'x-before'), '1');
    m.monitor.onChunk(overflowChunk());
    await until(() => m.publisher.events.some((e) => e.path === path.join(tree, 'x-before') && e.detection === 'overflow-rescan') || m.publisher.events.some((e) => e.path === path.join(tree, 'x-before')), 3000, 'after second overflow');
  } finally {
    await m.stop();
    cleanup();
  }
});

test('restart: changes made while the monitor was stopped are reported by the start-up scan', async () => {
  const { dir, tree, cleanup } = tempTree();
  fs.writeFileSync(path.join(tree, 'keep'), 'k');
  fs.writeFileSync(path.join(tree, 'edit'), 'e');
  fs.writeFileSync(path.join(tree, 'remove'), 'r');
  let m = await started(dir, tree);
  assert.deepEqual(m.publisher.events.map((e) => `${e.action} ${e.reason}`), ['scan_completed baseline'], 'first start records the baseline silently');
  await m.stop();
  fs.writeFileSync(path.join(tree, 'edit'), 'edited offline');
  fs.unlinkSync(path.join(tree, 'remove'));
  fs.writeFileSync(path.join(tree, 'added'), 'a');
  fs.chmodSync(path.join(tree, 'keep'), 0o4755);
  m = await started(dir, tree);
  try {
    const done = m.publisher.events.find((e) => e.action === 'scan_completed')!;
    assert.equal(done.reason, 'start-up');
    assert.equal((done.counts as { deleted: number }).deleted, 1);
    const got = m.publisher.events.filter((e) => e.action !== 'scan_completed').map((e) => `${e.action} ${path.basename(e.path)} ${e.detection}`).sort();
    assert.deepEqual(got, ['attributes keep scan', 'created added scan', 'deleted remove scan', 'modified edit scan']);
    assert.deepEqual(m.monitor.startupScan!.modified, 1);
  } finally {
    await m.stop();
    cleanup();
  }
});

test('files that vanish between the event and the hash are deletions or nothing, never errors; a 20 000-file burst is delivered whole', async () => {
  const { dir, tree, cleanup } = tempTree();
  const m = await started(dir, tree);
  m.publisher.take(); // the start-up scan summary
  const status: string[] = [];
  try {
    for (let i = 0; i < 300; i++) { const p = path.join(tree, `tmp${i}`); fs.writeFileSync(p, 'x'); fs.unlinkSync(p); }
    await m.monitor.idle();
    assert.ok(!m.publisher.events.some((e) => e.action === 'unreadable' || e.error), JSON.stringify(m.publisher.events.slice(0, 3)));
    for (const e of m.publisher.events) assert.ok(['created', 'modified', 'deleted'].includes(e.action), e.action);
    for (let i = 0; i < 300; i++) assert.equal(m.rt.store.get(path.join(tree, `tmp${i}`)), undefined, 'nothing left in the baseline');
    m.publisher.take();

    const N = 20_000;
    fs.mkdirSync(path.join(tree, 'burst'));
    await m.monitor.idle();
    m.publisher.take();
    const t0 = Date.now();
    const written = new Map<string, number>();
    for (let i = 0; i < N; i++) { const p = path.join(tree, 'burst', `f${i}`); fs.writeFileSync(p, String(i)); written.set(p, Date.now()); }
    await until(() => m.publisher.events.filter((e) => e.action === 'created').length >= N, 60_000, 'burst');
    const created = new Set(m.publisher.events.filter((e) => e.action === 'created').map((e) => e.path));
    assert.equal(created.size, N, 'every file reported once');
    assert.equal(m.monitor.stats.overflows, 0, status.join('\n'));
    const lat = m.publisher.events.map((e, i) => m.publisher.times[i]! - (written.get(e.path) ?? t0)).sort((a, b) => a - b);
    // the writes run on this test's own event loop, so latency here includes the writing time; bench/fim measures it with a separate writer
    process.stderr.write(`burst ${N}: ${Date.now() - t0} ms, latency p50 ${lat[Math.floor(N * 0.5)]} ms p99 ${lat[Math.floor(N * 0.99)]} ms\n`);
  } finally {
    await m.stop();
    cleanup();
  }
});

test('a watched directory deleted and made again is watched again: what is inside the new one is reported', async () => {
  const { dir, tree, cleanup } = tempTree();
  fs.writeFileSync(path.join(tree, 'old'), 'o');
  const fx = await fimRuntime(dir, { watch: [{ path: tree, category: 'test' }] });
  const statuses: string[] = [];
  const m = new FimMonitor(fx.rt, { moveWaitMs: 30, missingPollMs: 100, onStatus: (s) => statuses.push(s) });
  await m.start();
  try {
    for (const round of [1, 2]) {
      fs.rmSync(tree, { recursive: true });
      await until(() => fx.publisher.events.filter((e) => e.action === 'deleted' && e.path === path.join(tree, 'old')).length === round, 3000, `deleted (${round})`);
      await until(() => statuses.some((s) => s.includes(`watched path ${tree} does not exist`)), 3000, 'missing root noticed');
      fs.mkdirSync(tree);
      fs.writeFileSync(path.join(tree, 'old'), 'o');
      const inside = path.join(tree, `new-${round}`);
      await until(() => m.stats.watches >= 1 && fx.rt.store.get(path.join(tree, 'old')) !== undefined, 3000, `the new directory watched (${round})`);
      fs.writeFileSync(inside, 'n');
      await until(() => fx.publisher.events.some((e) => e.action === 'created' && e.path === inside && e.detection === 'realtime'), 3000, `realtime event inside the new directory (${round})`);
    }
    // made again before the deletion was even handled: still watched afterwards
    fs.rmSync(tree, { recursive: true });
    fs.mkdirSync(tree);
    await new Promise((r) => setTimeout(r, 300));
    const quick = path.join(tree, 'after-quick-recreate');
    fs.writeFileSync(quick, 'q');
    await until(() => fx.publisher.events.some((e) => e.action === 'created' && e.path === quick), 3000, 'event after a quick delete and re-create');
  } finally {
    await m.stop();
    await fx.rt.close();
    cleanup();
  }
});

test('max_watches reached: the fallback scan finds files in directories made under unwatched ones, and the message names max_watches', async () => {
  const { dir, tree, cleanup } = tempTree();
  for (const d of ['a', 'b', 'c']) fs.mkdirSync(path.join(tree, d));
  const fx = await fimRuntime(dir, { watch: [{ path: tree, category: 'test' }], max_watches: 2, fallback_scan_interval: 3600 });
  const statuses: string[] = [];
  const m = new FimMonitor(fx.rt, { moveWaitMs: 30, onStatus: (s) => statuses.push(s) });
  await m.start();
  try {
    const limit = fx.publisher.events.find((e) => e.action === 'watch_limit')!;
    assert.match(String(limit.message), /max_watches \(2\) reached: .*raise max_watches in the FIM configuration/);
    assert.doesNotMatch(String(limit.message), /max_user_watches/);
    const unwatched = m.unwatchedDirectories[0]!;
    const fresh = path.join(unwatched, 'fresh', 'deeper');
    fs.mkdirSync(fresh, { recursive: true });
    fs.writeFileSync(path.join(fresh, 'planted'), 'p');
    fs.writeFileSync(path.join(unwatched, 'fresh', 'top'), 't');
    const counts = await m.fallbackScan();
    assert.ok(counts);
    for (const f of [path.join(fresh, 'planted'), path.join(unwatched, 'fresh', 'top')]) {
      assert.equal(fx.publisher.find('created', f)?.detection, 'scan', `${f} reported by the fallback scan`);
    }
    assert.ok(m.unwatchedDirectories.includes(fresh), 'the new directories join the fallback set');
  } finally {
    await m.stop();
    await fx.rt.close();
    cleanup();
  }
});
