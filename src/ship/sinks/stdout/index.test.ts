/** stdout sink: one JSON line per event, or indented JSON with `pretty`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { Redactor } from '../../../core/secret.js';
import { createStdoutSink } from './index.js';
import { StdoutSinkSchema } from './schema.js';

const envelope = { id: 'e1', time: '2026-01-01T00:00:00.000Z', kind: 'agent' as const, source: 't', host: { name: 'h', id: 'x', tags: { env: 'prod' } }, agent: { name: 'spyglass' as const, version: '1' }, fields: {}, data: { action: 'health' } };
const ctx = { name: 'out', redactor: new Redactor(), stateDir: '/nonexistent', log: () => {} };

test('stdout sink: JSON lines by default, indented with pretty', async () => {
  for (const pretty of [false, true]) {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => { text += d.toString(); });
    const sink = createStdoutSink(StdoutSinkSchema.parse({ type: 'stdout', pretty }), ctx, out);
    assert.deepEqual(await sink.send([envelope, envelope]), [{ status: 'delivered' }, { status: 'delivered' }]);
    if (pretty) {
      assert.ok(text.includes('\n  "id": "e1"'), 'indented');
    } else {
      const lines = text.trim().split('\n');
      assert.equal(lines.length, 2);
      assert.deepEqual(JSON.parse(lines[0]!), envelope);
    }
  }
});
