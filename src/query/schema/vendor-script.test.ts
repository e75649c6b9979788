/** scripts/vendor-osquery-schema.mjs keeps osquery's facts and drops its prose. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

test('the vendoring script writes names, types and flags, never descriptions or examples', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-vendor-'));
  try {
    const source = path.join(dir, 'linux-tables.json');
    fs.writeFileSync(source, JSON.stringify({
      widgets: {
        description: 'A TABLE SENTENCE that must not be copied.',
        event_table: true,
        examples: ['select * from widgets where EXAMPLE_MARKER = 1'],
        columns: [
          { name: 'id', type: 'BIGINT', description: 'A COLUMN SENTENCE', index: true, required: true },
          { name: "it's", type: 'TEXT', description: '', hidden: true, additional: true, optimized: true },
        ],
      },
    }));
    const out = path.join(dir, 'facts.ts');
    execFileSync(process.execPath, ['scripts/vendor-osquery-schema.mjs', source, out]);
    const text = fs.readFileSync(out, 'utf8');
    assert.match(text, /widgets: \{ eventTable: true, columns: \[/);
    assert.match(text, /\{ name: 'id', type: 'BIGINT', index: true, required: true \}/);
    assert.match(text, /\{ name: 'it\\'s', type: 'TEXT', hidden: true, additional: true, optimized: true \}/);
    assert.doesNotMatch(text, /SENTENCE|EXAMPLE_MARKER/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
