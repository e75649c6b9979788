import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cvss3BaseScore, cvssRating } from './cvss.js';

test('CVSS v3 base scores of well-known vectors (NVD figures)', () => {
  const cases: Array<[string, number]> = [
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8], // e.g. CVE-2021-44228 scored 10.0 with S:C below
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10.0],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', 5.9],
    ['CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:N/I:N/A:H', 4.7],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.6],
  ];
  for (const [vector, score] of cases) assert.equal(cvss3BaseScore(vector), score, vector);
  assert.equal(cvss3BaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P'), undefined, 'v2 is not scored');
  assert.equal(cvss3BaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), undefined);
  assert.equal(cvss3BaseScore('CVSS:3.1/AV:N/AC:L'), undefined, 'incomplete vector');
  assert.deepEqual([0, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(cvssRating), ['none', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical']);
});
