import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineDiff } from './content-diff.js';

test('a line diff shows the removed and added lines with context', () => {
  const d = lineDiff('a\nb\nc\nd\ne\n', 'a\nb\nC\nd\ne\nf\n')!;
  assert.match(d, /^@@ -1,\d+ \+1,\d+ @@/);
  assert.ok(d.includes('\n-c\n+C\n'), d);
  assert.ok(d.includes('+f'), d);
  assert.ok(d.includes(' b'), d);
  assert.equal(lineDiff('same', 'same'), '');
});

test('diffs too large to compute are refused, not computed', () => {
  const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join('\n');
  const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join('\n');
  assert.equal(lineDiff(a, b), undefined);
});
