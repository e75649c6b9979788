import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareApkVersions, isValidApkVersion } from './apk-version.js';

/**
 * Vectors recorded from real `apk version -t` (anchore-engine's apk tests, trained against
 * alpine's apk), plus orderings documented in apk-tools' version.c and Alpine's APKBUILD
 * reference (pre-release suffixes before, post-release after, -rN revisions last).
 */
const APK_VECTORS: Array<[string, string, number]> = [
  ['1', '1', 0], ['1', '1.0', -1], ['1.0', '1.0', 0],
  ['1.0', '1.0_alpha', -1], // apk's own quirk, kept: a ".0" component before a suffix
  ['1.1', '1.1_alpha', 1], ['1.0', '1.0-r1', -1], ['1.1', '1.0-r1', 1], ['1.1', '1.0_p1', 1],
  ['1.1', '1.2_alpha', -1], ['1', '1-r1', -1], ['1.1', '1-r1', 1], ['1', '1_p1', -1], ['1.1', '1_p1', 1],
  ['1', '1_alpha', 1], ['1-r1', '1_p1', -1], ['1-r1', '1-r2', -1], ['1_p1', '1', 1], ['1', '2', -1],
  ['11', '1', 1], ['1.10.0', '1.2.0', 1], ['1.1.10', '1.1.4-r1', 1], ['1.1_blarf', '1.1_alpha', 1],
  ['1.1_arghhh', '1.1_p1', -1], ['1.1_blah', '1.1_alpha', 1], ['1.1a', '1.1b', -1], ['1.1b', '1.1a', 1],
  ['1.1baa', '1.1b', 1], ['1.1ba', '1.2', -1], ['1.1ba', '1.1c', -1], ['1.0.2k-r0', '1.0.2i-r0', 1],
  // from the suffix lists: alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p
  ['2.3_alpha1', '2.3_beta1', -1], ['2.3_beta2', '2.3_pre1', -1], ['2.3_pre1', '2.3_rc1', -1], ['2.3_rc1', '2.3', -1],
  ['2.3', '2.3_cvs1', -1], ['2.3_cvs1', '2.3_svn1', -1], ['2.3_git20230101', '2.3_hg1', -1], ['2.3_hg1', '2.3_p1', -1],
  ['2.3_rc1', '2.3_rc2', -1], ['2.3_rc10', '2.3_rc9', 1],
  // leading zeros compare as a fraction; revisions numerically
  ['1.01', '1.1', -1], ['1.001', '1.01', -1], ['1.2-r9', '1.2-r10', -1], ['3.0.13-r0', '3.0.14-r0', -1],
  ['3.3.0-r2', '3.3.0-r10', -1], ['1.36.1-r29', '1.36.1-r30', -1],
];

test('apk version ordering matches apk-tools on recorded vectors', () => {
  for (const [a, b, want] of APK_VECTORS) {
    assert.equal(Math.sign(compareApkVersions(a, b)), want, `${a} vs ${b}`);
    assert.equal(Math.sign(compareApkVersions(b, a)), want === 0 ? 0 : -want, `${b} vs ${a} (antisymmetry)`);
  }
});

test('apk version validation (apk_version_validate)', () => {
  for (const v of ['1.2.3', '1.2.3-r0', '1.0_rc1-r2', '2.3a', '20230101', '1.2_p1_git2']) assert.ok(isValidApkVersion(v), v);
  for (const v of ['1.2-x', '1.2_bogus', 'abc', '1.2-rc', '1.2_p1-x']) assert.equal(isValidApkVersion(v), false, v);
});
