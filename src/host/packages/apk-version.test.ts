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

/** A selection of apk-tools' own test vectors (test/version.data): suffixes, letters, leading zeros, long numbers. */
const APK_TOOLS_VERSION_DATA: Array<[string, string, number]> = [
  ['2.34', '0.1.0_alpha', 1],
  ['23_foo', '4_beta', 1],
  ['1.0', '1.0bc', -1],
  ['0.1.0_alpha', '0.1.0_alpha', 0],
  ['0.1.0_alpha2', '0.1.0_alpha', 1],
  ['1.1', '1.1_alpha1', 1],
  ['1.3_alpha2', '1.3_alpha3', -1],
  ['0.7.0', '0.8_beta1', -1],
  ['3.10.18-r1', '2.3.0b-r1', 1],
  ['2.3.0b-r1', '2.3.0b-r2', -1],
  ['0.12.3', '0.12', 1],
  ['0.12', '0.13_beta1', -1],
  ['1.2.11', '1.2.12.1', -1],
  ['3.1_p16', '3.1_p17', -1],
  ['3.1_p17', '1.06-r6', 1],
  ['1.06-r6', '006', -1],
  ['006', '1.0.0', 1],
  ['1.2.2-r1', '1.2.2', 1],
  ['2.59', '20050718-r1', -1],
  ['3.9.8-r5', '2.01.01_alpha10', 1],
  ['2.01.01_alpha10', '0.94', 1],
  ['1.0', '0.99.3.20040818', 1],
  ['1.39', '1.00_beta2', 1],
  ['4.2.52_p2-r1', '4.2.52_p4-r2', -1],
  ['4.2.52_p4-r2', '1.02.07', 1],
  ['1.02.07', '1.02.10-r1', -1],
  ['2.18.3-r10', '1.05-r18', 1],
  ['20060720', '3.0.20060720', 1],
  ['2.5.1-r8', '2.5.1a-r1', -1],
  ['1.3.5-r10', '1.3.5-r8', 1],
  ['20040401', '2.0.0_rc3-r1', 1],
  ['3.0.0-r2', '021109-r3', -1],
  ['0.9.16-r1', '3.9_pre20060124', -1],
  ['3.9_pre20060124', '0.01', 1],
  ['1.1.7', '6b-r7', -1],
  ['0.10.0', '0.10.1_rc1', -1],
  ['2.0.2', '1.1a', 1],
  ['1.0-r1', '0.15.1b', 1],
  ['0.15.1b-r2', '0.15.1b', 1],
  ['22.7-r1', '22.7.3-r1', -1],
  ['2.1_pre20', '2.1_pre26', -1],
  ['2.10.1', '02.08.01b', 1],
  ['3.81', '1.6d', 1],
  ['1.6d', '1.2.07.8', 1],
  ['1.2.07.8', '1.2.12.04', -1],
  ['1.07-r1', '1.07.5', -1],
  ['20061003', '0.1_pre20060810', 1],
  ['3.3.17', '0.59s-r11', 1],
  ['0.20070118', '0.20070207_rc1', -1],
  ['4.3_p2-r5', '4.4_p1-r6', -1],
  ['4.5_p1-r1', '4.5_p1', 1],
  ['0.9.8c-r1', '0.9.8d', -1],
  ['2.2.3-r2', '013', -1],
  ['1.7', '1.7b', -1],
  ['1.8.5', '1.8.5_p2', -1],
  ['2.9.11_pre20051101-r3', '2.9.11_pre20051101', 1],
  ['1.6.8_p12-r1', '1.6.8_p9-r2', 1],
  ['2.25b-r5', '2.25b-r6', -1],
  ['0.9.28.1', '087-r1', -1],
  ['20040406-r1', '2.12r-r4', 1],
  ['2.12r-r4', '2.12r-r5', -1],
  ['7.0.17', '7.0.174', -1],
  ['0.3.4_pre20061029', '0.4.0', -1],
  ['1.3-r0', '1.3.1-r0', -1],
  ['1.3_pre1-r1', '1.3.2', -1],
  ['1.0_p10-r0', '1.0_p9-r0', 1],
  ['0.1.0_alpha_pre2', '0.1.0_alpha', -1],
  ['1.0.0_pre20191002222144-r0', '1.0.0_pre20210530193627-r0', -1],
];

test('apk version ordering matches apk-tools\' own test/version.data', () => {
  for (const [a, b, want] of APK_TOOLS_VERSION_DATA) assert.equal(Math.sign(compareApkVersions(a, b)), want, `${a} vs ${b}`);
});

test('apk version validation (apk_version_validate)', () => {
  for (const v of ['1.2.3', '1.2.3-r0', '1.0_rc1-r2', '2.3a', '20230101', '1.2_p1_git2']) assert.ok(isValidApkVersion(v), v);
  for (const v of ['1.2-x', '1.2_bogus', 'abc', '1.2-rc', '1.2_p1-x']) assert.equal(isValidApkVersion(v), false, v);
});
