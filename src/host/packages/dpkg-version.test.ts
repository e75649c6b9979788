import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { compareDpkgVersions } from './dpkg-version.js';
import { pick, ranksFromChain, seededRandom, sign as sign3 } from './version-pool.test-helpers.js';

/** dpkg's own answer: true when `a op b` holds. */
function dpkgSays(a: string, op: 'lt' | 'eq' | 'gt', b: string): boolean {
  try {
    execFileSync('dpkg', ['--compare-versions', a, op, b], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const sign = (n: number) => (n < 0 ? 'lt' : n > 0 ? 'gt' : 'eq');

test('known orderings from deb-version(7)', () => {
  assert.ok(compareDpkgVersions('1.0~rc1', '1.0') < 0, '~ sorts before the end');
  assert.ok(compareDpkgVersions('1.0', '1.0+b1') < 0);
  assert.ok(compareDpkgVersions('1:0.1', '2.0') > 0, 'epoch wins');
  assert.ok(compareDpkgVersions('1.0a', '1.0+') < 0, 'letters before non-letters');
  assert.equal(compareDpkgVersions('1.001', '1.1'), 0, 'leading zeros');
  assert.ok(compareDpkgVersions('2.36.1-8+deb11u1', '2.36.1-8+deb11u2') < 0);
});

test('agrees with dpkg --compare-versions on a generated set of pairs', () => {
  const parts = ['0', '1', '1.0', '1.0~rc1', '1.0~~', '1.0a', '1.0+b1', '1:1.0', '2:0.9', '1.0-1', '1.0-1~bpo1', '1.0-1+deb12u1', '1.0.0', '10', '9', 'a', '1.2.3-4ubuntu0.1', '1.2.3-4ubuntu0.10', '7.4p1-1', '7.4p1-1+b1', '0.0~git20230101', '1~', '1+'];
  let checked = 0;
  for (const a of parts) {
    for (const b of parts) {
      const ours = sign(compareDpkgVersions(a, b));
      assert.ok(dpkgSays(a, ours, b), `dpkg disagrees: ${a} ${ours} ${b}`);
      checked++;
    }
  }
  assert.equal(checked, parts.length * parts.length);
});

/** A realistic Debian/Ubuntu version from a small grammar (epochs, ~, +, letters, revisions). */
function generateDebianVersion(rnd: () => number): string {
  const num = () => String(pick(rnd, [0, 0, 1, 1, 2, 3, 4, 9, 10, 11, 20, 100, 2023, 20230101]));
  const zeroPadded = () => (rnd() < 0.1 ? '0' : '') + num();
  let upstream = num();
  const parts = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < parts; k++) upstream += pick(rnd, ['.', '.', '.', '+', '~']) + zeroPadded();
  if (rnd() < 0.2) upstream += pick(rnd, ['a', 'b', 'p1', 'rc1', '~rc1', '~beta2', '~~', '+dfsg', '+ds', '+really1.0', '~git20230101.abc', 'z']);
  let v = upstream;
  if (rnd() < 0.15) v = `${pick(rnd, [0, 1, 2, 10])}:${v}`;
  if (rnd() < 0.75) {
    let rev = num();
    if (rnd() < 0.5) rev += pick(rnd, ['+deb12u1', '+deb12u2', '+deb11u1', '~deb12u1', '+b1', '+b2', 'ubuntu0.1', 'ubuntu0.10', 'ubuntu1', '~bpo12+1', '.1', 'build1', '~exp1']);
    v += `-${rev}`;
  }
  return v;
}

test('a generated pool of realistic versions: every pair in dpkg\'s order (one batched dpkg run over the sorted chain)', () => {
  const rnd = seededRandom(20261123);
  const pool = [...new Set(Array.from({ length: 700 }, () => generateDebianVersion(rnd)))];
  const sorted = [...pool].sort(compareDpkgVersions);
  // one shell runs dpkg once per adjacent pair; versions use only [0-9A-Za-z.+~:-]
  const script = sorted.slice(0, -1).map((a, k) => {
    const b = sorted[k + 1]!;
    const op = compareDpkgVersions(a, b) === 0 ? 'eq' : 'lt';
    return `if dpkg --compare-versions '${a}' ${op} '${b}'; then echo ${op}; else echo gt; fi`;
  }).join('\n');
  const run = spawnSync('sh', ['-s'], { input: script, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  const answers = run.stdout.trim().split('\n') as Array<'lt' | 'eq' | 'gt'>;
  assert.equal(answers.length, sorted.length - 1);
  const ranks = ranksFromChain(sorted, answers);
  // now 5 000 random pairs (and the chain itself covers the rest): ours must equal dpkg's
  let checked = 0;
  for (let k = 0; k < 5000; k++) {
    const a = pick(rnd, pool);
    const b = pick(rnd, pool);
    assert.equal(sign3(compareDpkgVersions(a, b)), sign3(ranks.get(a)! - ranks.get(b)!), `${a} vs ${b}`);
    checked++;
  }
  assert.equal(checked, 5000);
  assert.ok(pool.length > 500, `pool of ${pool.length} distinct versions`);
});
