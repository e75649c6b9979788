import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { compareDpkgVersions } from './dpkg-version.js';

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
