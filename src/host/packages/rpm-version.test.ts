import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareRpmVersions, parseRpmEvr, rpmvercmp } from './rpm-version.js';
import { pick, ranksFromChain, seededRandom, sign } from './version-pool.test-helpers.js';

/** rpm's published test vectors: tests/rpmvercmp.at in the rpm source tree. */
const RPMVERCMP_AT: Array<[string, string, number]> = [
  ['1.0', '1.0', 0], ['1.0', '2.0', -1], ['2.0', '1.0', 1],
  ['2.0.1', '2.0.1', 0], ['2.0', '2.0.1', -1], ['2.0.1', '2.0', 1],
  ['2.0.1a', '2.0.1a', 0], ['2.0.1a', '2.0.1', 1], ['2.0.1', '2.0.1a', -1],
  ['5.5p1', '5.5p1', 0], ['5.5p1', '5.5p2', -1], ['5.5p2', '5.5p1', 1],
  ['5.5p10', '5.5p10', 0], ['5.5p1', '5.5p10', -1], ['5.5p10', '5.5p1', 1],
  ['10xyz', '10.1xyz', -1], ['10.1xyz', '10xyz', 1],
  ['xyz10', 'xyz10', 0], ['xyz10', 'xyz10.1', -1], ['xyz10.1', 'xyz10', 1],
  ['xyz.4', 'xyz.4', 0], ['xyz.4', '8', -1], ['8', 'xyz.4', 1], ['xyz.4', '2', -1], ['2', 'xyz.4', 1],
  ['5.5p2', '5.6p1', -1], ['5.6p1', '5.5p2', 1],
  ['5.6p1', '6.5p1', -1], ['6.5p1', '5.6p1', 1],
  ['6.0.rc1', '6.0', 1], ['6.0', '6.0.rc1', -1],
  ['10b2', '10a1', 1], ['10a2', '10b2', -1],
  ['1.0aa', '1.0aa', 0], ['1.0a', '1.0aa', -1], ['1.0aa', '1.0a', 1],
  ['10.0001', '10.0001', 0], ['10.0001', '10.1', 0], ['10.1', '10.0001', 0], ['10.0001', '10.0039', -1], ['10.0039', '10.0001', 1],
  ['4.999.9', '5.0', -1], ['5.0', '4.999.9', 1],
  ['20101121', '20101121', 0], ['20101121', '20101122', -1], ['20101122', '20101121', 1],
  ['2_0', '2_0', 0], ['2.0', '2_0', 0], ['2_0', '2.0', 0],
  ['a', 'a', 0], ['a+', 'a+', 0], ['a+', 'a_', 0], ['a_', 'a+', 0], ['+a', '+a', 0], ['+a', '_a', 0], ['_a', '+a', 0],
  ['+_', '+_', 0], ['_+', '+_', 0], ['_+', '_+', 0], ['+', '_', 0], ['_', '+', 0],
  ['1.0~rc1', '1.0~rc1', 0], ['1.0~rc1', '1.0', -1], ['1.0', '1.0~rc1', 1], ['1.0~rc1', '1.0~rc2', -1], ['1.0~rc2', '1.0~rc1', 1],
  ['1.0~rc1~git123', '1.0~rc1~git123', 0], ['1.0~rc1~git123', '1.0~rc1', -1], ['1.0~rc1', '1.0~rc1~git123', 1],
  ['1.0^', '1.0^', 0], ['1.0^', '1.0', 1], ['1.0', '1.0^', -1], ['1.0^git1', '1.0^git1', 0], ['1.0^git1', '1.0', 1], ['1.0', '1.0^git1', -1],
  ['1.0^git1', '1.0^git2', -1], ['1.0^git2', '1.0^git1', 1], ['1.0^git1', '1.01', -1], ['1.01', '1.0^git1', 1],
  ['1.0^20160101', '1.0^20160101', 0], ['1.0^20160101', '1.0.1', -1], ['1.0.1', '1.0^20160101', 1],
  ['1.0^20160101^git1', '1.0^20160101^git1', 0], ['1.0^20160102', '1.0^20160101^git1', 1], ['1.0^20160101^git1', '1.0^20160102', -1],
  ['1.0~rc1^git1', '1.0~rc1^git1', 0], ['1.0~rc1^git1', '1.0~rc1', 1], ['1.0~rc1', '1.0~rc1^git1', -1],
  ['1.0^git1~pre', '1.0^git1~pre', 0], ['1.0^git1', '1.0^git1~pre', 1], ['1.0^git1~pre', '1.0^git1', -1],
];

test('rpmvercmp matches every vector of rpm\'s tests/rpmvercmp.at', () => {
  for (const [a, b, want] of RPMVERCMP_AT) assert.equal(rpmvercmp(a, b), want, `rpmvercmp(${a}, ${b})`);
});

test('EVR: epoch first (missing = 0), release only when both have one', () => {
  assert.deepEqual(parseRpmEvr('2:1.2.3-4.el9'), { epoch: 2, version: '1.2.3', release: '4.el9' });
  assert.ok(compareRpmVersions('1:1.0-1', '2.0-1') > 0);
  assert.equal(compareRpmVersions('0:1.0-1', '1.0-1'), 0);
  assert.equal(compareRpmVersions('1.0', '1.0-5'), 0, 'no release on one side: equal');
  assert.ok(compareRpmVersions('3.0.7-24.el9', '3.0.7-25.el9') < 0);
  assert.ok(compareRpmVersions('3.0.7-24.el9', '3.0.7-24.el9_3.1') < 0);
});

/** A realistic rpm version (with ~, ^, letters, dist tags) from a small grammar. */
function generateRpmVersion(rnd: () => number): string {
  const num = () => String(pick(rnd, [0, 1, 1, 2, 3, 9, 10, 12, 100, 20160101]));
  let v = num();
  for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) v += pick(rnd, ['.', '.', '.', '_', '+', '~', '^']) + (rnd() < 0.1 ? '0' : '') + num();
  if (rnd() < 0.25) v += pick(rnd, ['a', 'b', 'p1', 'rc1', '~rc1', '^git1', '~beta', 'git', '.rc2', '^', '~']);
  return v;
}

test('a generated pool of rpm versions: our order equals real rpm.vercmp (one batched rpm --eval)', (t) => {
  const probe = spawnSync('rpm', ['--eval', '%{lua: print(rpm.vercmp("1", "2"))}'], { encoding: 'utf8' });
  if (probe.status !== 0 || probe.stdout.trim() !== '-1') {
    t.skip('rpm with lua is not available here');
    return;
  }
  const rnd = seededRandom(4242);
  const pool = [...new Set(Array.from({ length: 800 }, () => generateRpmVersion(rnd)))];
  const pairs: Array<[string, string]> = Array.from({ length: 5000 }, () => [pick(rnd, pool), pick(rnd, pool)]);
  for (const [a, b] of RPMVERCMP_AT) pairs.push([a, b]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spyglass-rpmvercmp-'));
  try {
    const file = path.join(dir, 'pairs.txt');
    writeFileSync(file, pairs.map(([a, b]) => `${a} ${b}`).join('\n') + '\n');
    const lua = `%{lua: local out = {}; for line in io.lines("${file}") do local a, b = line:match("^(%S+) (%S+)$"); out[#out+1] = rpm.vercmp(a, b) end; print(table.concat(out, ","))}`;
    const run = spawnSync('rpm', ['--eval', lua], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    assert.equal(run.status, 0, run.stderr);
    const answers = run.stdout.trim().split(',').map(Number);
    assert.equal(answers.length, pairs.length);
    pairs.forEach(([a, b], k) => assert.equal(rpmvercmp(a, b), answers[k], `rpmvercmp(${a}, ${b}): rpm says ${answers[k]}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // and sorting is consistent with those answers (a total preorder)
  const sorted = [...pool].sort(rpmvercmp);
  const ranks = ranksFromChain(sorted, sorted.slice(0, -1).map((a, k) => (['lt', 'eq', 'gt'] as const)[sign(rpmvercmp(a, sorted[k + 1]!)) + 1]!));
  assert.equal(ranks.size, pool.length);
});
