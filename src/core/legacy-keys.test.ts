import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromMilliseconds, migrateLegacyKeys, type LegacyKeys } from './legacy-keys.js';

const legacy: LegacyKeys = {
  renamed: { maxInFlight: 'max_in_flight', caFile: { to: 'tls.ca_file', alongside: { system_roots: false } } },
  inside: { batch: { renamed: { maxWaitMs: { to: 'max_wait', convert: fromMilliseconds } } } },
  each: undefined,
};

test('old keys are rewritten (units converted, moved keys nested), each with a warning; the input is not changed', () => {
  const input = { maxInFlight: 4, caFile: '/ca.pem', batch: { maxWaitMs: 250, max_events: 9 } };
  const { value, warnings } = migrateLegacyKeys(input, legacy, ['shipping']);
  assert.deepEqual(value, { max_in_flight: 4, tls: { ca_file: '/ca.pem', system_roots: false }, batch: { max_wait: '250ms', max_events: 9 } });
  assert.deepEqual(warnings.map((w) => [w.path.join('.'), w.to.join('.')]), [
    ['shipping.maxInFlight', 'shipping.max_in_flight'],
    ['shipping.caFile', 'shipping.tls.ca_file'],
    ['shipping.batch.maxWaitMs', 'shipping.batch.max_wait'],
  ]);
  assert.match(warnings[2]!.message, /shipping\.batch\.maxWaitMs is deprecated: write shipping\.batch\.max_wait: "250ms"/);
  assert.equal(input.batch.maxWaitMs, 250, 'the input is untouched');
});

test('an old key beside its new spelling is ignored with a warning; entries are chosen by value', () => {
  const { value, warnings } = migrateLegacyKeys({ maxInFlight: 4, max_in_flight: 8 }, legacy);
  assert.deepEqual(value, { max_in_flight: 8 });
  assert.match(warnings[0]!.message, /also set: maxInFlight is ignored/);
  const byType: LegacyKeys = { each: (e) => ((e as { type?: string }).type === 'a' ? { renamed: { old: 'new' } } : undefined) };
  assert.deepEqual(migrateLegacyKeys({ x: { type: 'a', old: 1 }, y: { type: 'b', old: 2 } }, byType).value, { x: { type: 'a', new: 1 }, y: { type: 'b', old: 2 } });
  assert.deepEqual(migrateLegacyKeys([{ type: 'a', old: 1 }], byType).value, [{ type: 'a', new: 1 }]);
});
