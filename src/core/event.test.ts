import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_KINDS, snakeCaseKeys } from './event.js';

test('snakeCaseKeys maps camelCase keys through objects and arrays, values untouched', () => {
  assert.deepEqual(
    snakeCaseKeys({ fixedVersion: '1.0', cvss: { baseScore: 7.5 }, feeds: [{ ageDays: 3, path: '/f/camelCase.json' }], by_status: { no_fix_yet: 1 }, rssBytes: 10, when: new Date(0) }),
    { fixed_version: '1.0', cvss: { base_score: 7.5 }, feeds: [{ age_days: 3, path: '/f/camelCase.json' }], by_status: { no_fix_yet: 1 }, rss_bytes: 10, when: new Date(0) },
  );
  assert.equal(snakeCaseKeys('camelCase'), 'camelCase');
  assert.equal(snakeCaseKeys(null), null);
});

test('the event kinds are one list', () => {
  assert.deepEqual([...EVENT_KINDS], ['audit', 'query', 'fim', 'vuln', 'agent']);
});
