import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateAffected, evaluateRange } from './osv-events.js';
import { compareDpkgVersions } from '../../host/packages/dpkg-version.js';

const eco = (...events: object[]) => ({ type: 'ECOSYSTEM', events });
const affected = (v: string, ...events: object[]) => evaluateRange(v, eco(...events), compareDpkgVersions);

test('introduced / fixed: [introduced, fixed)', () => {
  const r = [{ introduced: '0' }, { fixed: '3.0.14-1~deb12u2' }];
  assert.deepEqual(affected('3.0.11-1~deb12u2', ...r), { affected: true, fixed: '3.0.14-1~deb12u2' });
  assert.deepEqual(affected('3.0.14-1~deb12u2', ...r), { affected: false, fixed: undefined });
  assert.deepEqual(affected('3.0.14-1', ...r), { affected: false, fixed: undefined });
  assert.equal(affected('1.0', { introduced: '2.0' }, { fixed: '3.0' }).affected, false, 'before introduced');
});

test('last_affected closes after the version; no fix is reported', () => {
  assert.deepEqual(affected('1.5', { introduced: '1.0' }, { last_affected: '1.5' }), { affected: true, fixed: undefined });
  assert.equal(affected('1.5.1', { introduced: '1.0' }, { last_affected: '1.5' }).affected, false);
});

test('several introduced/fixed pairs in one range, events out of order', () => {
  const r = [{ fixed: '2.0' }, { introduced: '3.0' }, { introduced: '1.0' }, { fixed: '3.5' }];
  assert.deepEqual(['0.9', '1.0', '1.9', '2.0', '2.9', '3.0', '3.4', '3.5'].map((v) => affected(v, ...r).affected), [false, true, true, false, false, true, true, false]);
  assert.equal(affected('3.4', ...r).fixed, '3.5');
});

test('limit bounds the range from above; "*" is no bound', () => {
  assert.equal(affected('2.5', { introduced: '0' }, { limit: '2.0' }).affected, false);
  assert.equal(affected('1.5', { introduced: '0' }, { limit: '2.0' }).affected, true);
  assert.equal(affected('9.0', { introduced: '0' }, { limit: '*' }).affected, true);
});

test('versions list; GIT ranges are not evaluated but reported; any matching range wins', () => {
  const v = evaluateAffected('1:2.0-1', [{ type: 'GIT', events: [{ introduced: 'abc' }] }], ['1:2.0-1', '1:2.1-1'], compareDpkgVersions);
  assert.deepEqual(v, { affected: true, fixed: undefined, unevaluatedRangeTypes: ['GIT'] });
  const two = evaluateAffected('1.5', [eco({ introduced: '0' }, { fixed: '1.8' }), eco({ introduced: '1.2' }, { fixed: '1.6' })], [], compareDpkgVersions);
  assert.deepEqual(two, { affected: true, fixed: '1.6', unevaluatedRangeTypes: [] });
  assert.equal(evaluateAffected('1.0', [], ['1.1'], compareDpkgVersions).affected, false);
});
