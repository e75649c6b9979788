import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, csvRecord } from './csv.js';

test('fields with a quote, comma or line break are quoted, quotes doubled', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(''), '');
});

test('a cell a spreadsheet would run as a formula is defused with a leading apostrophe', () => {
  assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvField('+cmd|/C calc'), `"'+cmd|/C calc"`);
  assert.equal(csvField('-2+3+cmd'), `"'-2+3+cmd"`);
  assert.equal(csvField('@SUM(A1)'), `"'@SUM(A1)"`);
  assert.equal(csvField('\t=1'), `"'\t=1"`);
  assert.equal(csvField('\r=1'), `"'\r=1"`);
});

test('signed numbers stay numbers', () => {
  for (const n of ['-5', '+5', '-0.5', '-1e10', '-.5', '12']) assert.equal(csvField(n), n);
  assert.equal(csvField('-5 days'), `"'-5 days"`);
});

test('a record joins escaped fields', () => {
  assert.equal(csvRecord(['a', '=1', 'b,c']), `a,"'=1","b,c"`);
});
