/**
 * Hostile vulnerability feeds: files that are not regular files, zip bombs (by ratio, and by a
 * central directory that lies about the size), damaged archives, empty or foreign feeds and
 * OSV records with every field of the wrong type. Each is scanned through scanHost on a
 * Debian 12 fixture root: the scan ends in bounded time and memory, marked incomplete with the
 * feed's problem named; nothing is passed off as "no known vulnerabilities". The CLI runs a
 * representative few and exits 2 with "incomplete".
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { scanHost } from '../../src/vuln/scan.js';
import { debianOsvRecords, debianRoot } from '../../src/vuln/vuln-fixtures.test-helpers.js';
import { assertNoStackTrace, assertRun, materialize, prng, runCli, tempDir, within, type HostileFile } from './harness.js';

const root = debianRoot(50);
const work = tempDir('feeds');
after(() => { root.cleanup(); fs.rmSync(work, { recursive: true, force: true }); });

/** A one-entry zip whose headers may lie about the inflated size. */
function zipOf(entries: Array<{ name: string; data: Buffer; declaredSize?: number; declaredCrc?: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = deflateRawSync(e.data, { level: 9 });
    const name = Buffer.from(e.name);
    const crc = e.declaredCrc ?? crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(body.length, 18); local.writeUInt32LE(size, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16); central.writeUInt32LE(body.length, 20); central.writeUInt32LE(size, 24); central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(entries.length, 8); eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12); eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

const good = debianOsvRecords();
const goodRecord = good[0] as Record<string, unknown>;
const json = (v: unknown) => JSON.stringify(v);

interface FeedCase {
  name: string;
  /** files under the feed's own directory; `feed` is the path handed to the scanner */
  files: Record<string, HostileFile>;
  feed: string;
  /** a word the problem must contain */
  problem: RegExp;
}

function wrongTypeCases(): FeedCase[] {
  // every field the matcher reads, given each wrong type in turn
  const wrong: Array<[string, unknown]> = [['a number', 7], ['a list', ['x']], ['a mapping', { x: 1 }], ['null', null], ['a boolean', true]];
  const affected = (goodRecord.affected as Array<Record<string, unknown>>)[0]!;
  const fields: Array<[string, (v: unknown) => unknown]> = [
    ['id', (v) => ({ ...goodRecord, id: v })],
    ['modified', (v) => ({ ...goodRecord, modified: v })],
    ['affected', (v) => ({ ...goodRecord, affected: v })],
    ['affected[0].package', (v) => ({ ...goodRecord, affected: [{ ...affected, package: v }] })],
    ['affected[0].package.name', (v) => ({ ...goodRecord, affected: [{ ...affected, package: { ecosystem: 'Debian:12', name: v } }] })],
    ['affected[0].ranges', (v) => ({ ...goodRecord, affected: [{ ...affected, ranges: v }] })],
    ['affected[0].versions', (v) => ({ ...goodRecord, affected: [{ ...affected, versions: v }] })],
    ['aliases', (v) => ({ ...goodRecord, aliases: v })],
    ['severity', (v) => ({ ...goodRecord, severity: v })],
  ];
  const out: FeedCase[] = [];
  for (const [field, make] of fields) {
    for (const [what, value] of wrong) {
      const record = make(value) as Record<string, unknown>;
      if (json(record) === json(goodRecord)) continue;
      // a list of strings is right for aliases; a mapping is not a list anywhere
      if ((field === 'aliases' || field === 'affected[0].versions') && what === 'a list') continue;
      out.push({ name: `${field} as ${what}`, files: { 'osv/bad.json': json(record), 'osv/good.json': json(good[1]) }, feed: 'osv', problem: /OSV record|invalid/ });
    }
  }
  return out;
}

function cases(): FeedCase[] {
  const random = prng(18);
  const zeros = Buffer.alloc(64 * 1024 * 1024);
  return [
    { name: 'a FIFO', files: { 'feed.json': { fifo: true } }, feed: 'feed.json', problem: /not a regular file \(a FIFO\)/ },
    { name: 'a FIFO named .zip', files: { 'all.zip': { fifo: true } }, feed: 'all.zip', problem: /not a regular file/ },
    { name: '/dev/zero', files: {}, feed: '/dev/zero', problem: /not a regular file \(a character device\)/ },
    { name: 'a link to /dev/zero', files: { 'zero.json': { symlink: '/dev/zero' } }, feed: 'zero.json', problem: /not a regular file/ },
    { name: 'a missing path', files: {}, feed: 'nowhere.json', problem: /no such file/ },
    { name: 'an empty directory', files: { 'empty/.keep-dir': { dir: true } }, feed: 'empty', problem: /no OSV records/ },
    { name: 'a directory of non-JSON files', files: { 'notes/readme.txt': 'hello', 'notes/data.csv': 'a,b\n' }, feed: 'notes', problem: /no OSV records/ },
    { name: 'a FIFO inside a feed directory', files: { 'osvfifo/a.json': { fifo: true }, 'osvfifo/b.json': json(good[0]) }, feed: 'osvfifo', problem: /not a regular file \(a FIFO\)/ },
    { name: 'an empty zip', files: { 'e.zip': zipOf([]) }, feed: 'e.zip', problem: /no OSV records/ },
    { name: 'zip bomb by ratio (64 MiB of zeros)', files: { 'bomb.zip': zipOf([{ name: 'a.json', data: zeros }]) }, feed: 'bomb.zip', problem: /zip bomb|over the .* limit/ },
    { name: 'zip whose directory lies about the size', files: { 'liar.zip': zipOf([{ name: 'a.json', data: Buffer.alloc(8 * 1024 * 1024, 0x20), declaredSize: 100 }]) }, feed: 'liar.zip', problem: /inflates past|size or CRC/ },
    { name: 'zip entry with a bad CRC', files: { 'crc.zip': zipOf([{ name: 'a.json', data: Buffer.from(json(good[0])), declaredCrc: 1 }]) }, feed: 'crc.zip', problem: /CRC-32/ },
    { name: 'truncated zip', files: { 'cut.zip': zipOf([{ name: 'a.json', data: Buffer.from(json(good)) }]).subarray(0, 40) }, feed: 'cut.zip', problem: /truncated|not a zip/ },
    { name: 'random bytes named .zip', files: { 'rand.zip': Buffer.from(Array.from({ length: 2048 }, () => Math.floor(random() * 256))) }, feed: 'rand.zip', problem: /not a zip|truncated|damaged/ },
    { name: 'random bytes as JSON', files: { 'rand.json': Buffer.from(Array.from({ length: 2048 }, () => Math.floor(random() * 256))) }, feed: 'rand.json', problem: /invalid JSON/ },
    { name: 'an empty JSON file', files: { 'empty.json': '' }, feed: 'empty.json', problem: /empty file/ },
    { name: 'truncated JSON', files: { 'cut.json': json(good).slice(0, 300) }, feed: 'cut.json', problem: /invalid JSON/ },
    { name: 'an empty JSON array', files: { 'none.json': '[]' }, feed: 'none.json', problem: /no OSV records/ },
    { name: 'a JSON array of numbers', files: { 'nums.json': '[1, 2, 3]' }, feed: 'nums.json', problem: /OSV record/ },
    { name: 'a JSON string', files: { 'str.json': '"hello"' }, feed: 'str.json', problem: /OSV record/ },
    { name: 'records for another ecosystem only', files: { 'alpine.json': json([{ id: 'ALPINE-1', modified: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'Alpine:v3.20', name: 'musl' } }] }]) }, feed: 'alpine.json', problem: /none for Debian:12/ },
    { name: 'deeply nested JSON', files: { 'deep.json': '['.repeat(100_000) + ']'.repeat(100_000) }, feed: 'deep.json', problem: /./ },
    ...wrongTypeCases(),
  ];
}

const all = cases();

test(`scanHost on ${all.length} hostile feeds: each is a problem, the scan incomplete, in bounded time`, { timeout: 120_000 }, async () => {
  assert.ok(all.length >= 50, `${all.length} cases`);
  const failures: string[] = [];
  for (const [i, c] of all.entries()) {
    const dir = path.join(work, String(i));
    for (const [rel, file] of Object.entries(c.files)) materialize(path.join(dir, rel), file);
    const feed = path.isAbsolute(c.feed) ? c.feed : path.join(dir, c.feed);
    const heapBefore = process.memoryUsage().rss;
    const result = await within(20_000, c.name, () => scanHost({ root: root.dir, feeds: [feed] }));
    const grew = process.memoryUsage().rss - heapBefore;
    if (grew > 512 * 1024 * 1024) failures.push(`${c.name}: memory grew by ${grew} bytes`);
    if (result.summary.complete) { failures.push(`${c.name}: the scan says complete`); continue; }
    const text = result.summary.problems.map((p) => String(p.message)).join('\n');
    assertNoStackTrace(text, c.name);
    if (!c.problem.test(text)) failures.push(`${c.name}: problem ${JSON.stringify(text)} does not match ${c.problem}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(failures, []);
});

test('a well-formed feed still scans complete (the hostile cases are not refused for being feeds)', async () => {
  const dir = path.join(work, 'fine');
  for (const r of good) materialize(path.join(dir, `${(r as { id: string }).id}.json`), json(r));
  const result = await scanHost({ root: root.dir, feeds: [dir] });
  assert.equal(result.summary.complete, true, JSON.stringify(result.summary.problems));
  assert.ok(result.findings.length > 0);
});

test('spyglass vuln with a zip bomb, a FIFO and an empty directory: exit 2, incomplete, no stack trace', { timeout: 60_000 }, async () => {
  const dir = path.join(work, 'cli');
  materialize(path.join(dir, 'bomb.zip'), zipOf([{ name: 'a.json', data: Buffer.alloc(64 * 1024 * 1024) }]));
  materialize(path.join(dir, 'fifo.json'), { fifo: true });
  materialize(path.join(dir, 'empty'), { dir: true });
  const runs = await Promise.all(['bomb.zip', 'fifo.json', 'empty'].map((f) => runCli(['vuln', '--root', root.dir, '--feed', path.join(dir, f)], { limitMs: 30_000 })));
  for (const [i, run] of runs.entries()) {
    assertRun(run, { code: 2, limitMs: 30_000 }, `vuln ${['bomb.zip', 'fifo.json', 'empty'][i]}`);
    assert.match(run.stderr, /incomplete/);
  }
});
