/** Tests of the `manual` check type: always not_applicable with the reason; the schema wants one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateOnFixture } from '../common/conformance.test-helpers.js';
import type { FixtureTree } from '../../../../test/helpers/fixture-root.js';
import { manualCheck } from './index.js';

test('manual: not_applicable with "manual: <reason>", whatever the root holds', async () => {
  const trees: FixtureTree[] = [{}, { '/etc/passwd': 'root:x:0:0::/root:/bin/bash\n' }];
  for (const tree of trees) {
    const o = await evaluateOnFixture(manualCheck, tree, { reason: 'which ports may listen is site policy' });
    assert.equal(o.status, 'not_applicable');
    assert.equal(o.summary, 'manual: which ports may listen is site policy');
  }
});

test('manual: a reason is required and must not be blank', () => {
  assert.equal(manualCheck.schema.safeParse({}).success, false);
  assert.equal(manualCheck.schema.safeParse({ reason: '  ' }).success, false);
  assert.equal(manualCheck.schema.safeParse({ reason: 'x', extra: 1 }).success, false);
});
