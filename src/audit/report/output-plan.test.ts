/** --format / --output combinations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planOutputs } from './output-plan.js';

const show = (f: string[], o: string[]) => planOutputs(f, o).map((p) => `${p.format.name}>${p.file ?? '-'}`);

test('formats and outputs', () => {
  assert.deepEqual(show([], []), ['table>-']);
  assert.deepEqual(show(['json'], []), ['json>-']);
  assert.deepEqual(show([], ['r.html']), ['html>r.html']);
  assert.deepEqual(show([], ['r']), ['table>r'], 'no extension: the plain-text table');
  assert.throws(() => planOutputs([], ['report.pdf']), /--output report\.pdf: no report format has the extension/);
  assert.deepEqual(show(['json'], ['r.out']), ['json>r.out'], 'a named format goes where it is told');
  assert.deepEqual(show(['json,html', 'csv'], ['report']), ['json>report.json', 'html>report.html', 'csv>report.csv']);
  assert.deepEqual(show(['json', 'html'], ['report.html']), ['json>report.json', 'html>report.html']);
  assert.deepEqual(show(['table'], ['json=a.json', 'junit=b.xml']), ['table>-', 'json>a.json', 'junit>b.xml']);
  assert.deepEqual(show(['table', 'json'], ['json=a.json', 'x.txt']), ['table>x.txt', 'json>a.json']);
  assert.throws(() => planOutputs(['yaml'], []), /unknown format "yaml"/);
  assert.throws(() => planOutputs([], ['a', 'b']), /bind each to a format/);
  assert.throws(() => planOutputs(['json', 'csv'], ['a.json', 'b.csv']), /bind each to a format/);
});

test('every --output is written: plain files with no --format left take the format of their extension', () => {
  assert.deepEqual(show([], ['junit=results.xml', 'out.csv']), ['junit>results.xml', 'csv>out.csv']);
  assert.deepEqual(show([], ['out.csv', 'junit=results.xml']), ['junit>results.xml', 'csv>out.csv']);
  assert.deepEqual(show([], ['a.json', 'b.html']), ['json>a.json', 'html>b.html']);
  assert.deepEqual(show(['junit'], ['junit=r.xml', 'x.json']), ['junit>r.xml', 'json>x.json']);
  assert.throws(() => planOutputs([], ['a.json', 'b.json']), /both get the json report/);
  assert.throws(() => planOutputs([], ['junit=a.xml', 'junit=b.xml']), /binds junit twice/);
});
