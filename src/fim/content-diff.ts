/**
 * A unified line diff of two small texts (both under the configured diff size cap), for
 * events about text files whose content was kept. Longest-common-subsequence on lines, with
 * a work bound: past it the event says the diff was too large instead of spending CPU.
 */
const MAX_CELLS = 4_000_000;
const CONTEXT = 2;

export function lineDiff(oldText: string, newText: string): string | undefined {
  const a = oldText.split('\n');
  const b = newText.split('\n');
  // trim the common head and tail: most edits touch a few lines
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  if (x.length === 0 && y.length === 0) return '';
  if (x.length * y.length > MAX_CELLS) return undefined;
  const n = x.length, m = y.length;
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = x[i] === y[j] ? lcs[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
    }
  }
  const body: string[] = [];
  for (let k = Math.max(0, head - CONTEXT); k < head; k++) body.push(' ' + a[k]);
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) { body.push(' ' + x[i]); i++; j++; }
    else if (i < n && (j === m || lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!)) { body.push('-' + x[i]); i++; }
    else { body.push('+' + y[j]); j++; }
  }
  for (let k = a.length - tail; k < Math.min(a.length, a.length - tail + CONTEXT); k++) body.push(' ' + a[k]);
  const start = Math.max(0, head - CONTEXT);
  const oldCount = body.filter((l) => l[0] !== '+').length;
  const newCount = body.filter((l) => l[0] !== '-').length;
  return `@@ -${start + 1},${oldCount} +${start + 1},${newCount} @@\n` + body.join('\n');
}
