/** --format / --output combinations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planOutputs } from './output-plan.js';

const show = (f: string[], o: string[]) => planOutputs(f, o).map((p) => `${p.format.name}>${p.file ?? '-'}`);

test('formats and outputs', () => {
  assert.deepEqual(show([], []), ['table>-']);
  assert.deepEqual(show(['json'], []), ['json>-']);
  assert.deepEqual(show([], ['r.html']), ['html>r.html']);
  assert.deepEqual(show([], ['r.out']), ['table>r.out']);
  assert.deepEqual(show(['json,html', 'csv'], ['report']), ['json>report.json', 'html>report.html', 'csv>report.csv']);
  assert.deepEqual(show(['json', 'html'], ['report.html']), ['json>report.json', 'html>report.html']);
  assert.deepEqual(show(['table'], ['json=a.json', 'junit=b.xml']), ['table>-', 'json>a.json', 'junit>b.xml']);
  assert.deepEqual(show(['table', 'json'], ['json=a.json', 'x.txt']), ['table>x.txt', 'json>a.json']);
  assert.throws(() => planOutputs(['yaml'], []), /unknown format "yaml"/);
  assert.throws(() => planOutputs([], ['a', 'b']), /bind each to a format/);
});
