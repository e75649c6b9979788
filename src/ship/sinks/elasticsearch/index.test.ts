/** elasticsearch specifics: _bulk body, date-pattern index and data streams, auth, 409 on re-delivery counts as delivered. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPipeline } from '../../pipeline.js';
import { httpReceiver } from '../receivers.test-helpers.js';
import { indexName } from './index.js';

test('index names expand the date pattern from the event time in UTC', () => {
  assert.equal(indexName('spyglass-%Y.%m.%d', '2026-01-02T23:59:59.000Z'), 'spyglass-2026.01.02');
  assert.equal(indexName('x-%Y-%m-%d-%H', '2026-11-30T07:00:00.000Z'), 'x-2026-11-30-07');
});

test('_bulk: create with our own _id, data stream, API key; a 409 for an id already there counts as delivered', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-es-'));
  const stored = new Map<string, unknown>();
  const auth: string[] = [];
  const rx = await httpReceiver((req, body, res) => {
    auth.push(String(req.headers.authorization));
    const lines = body.trim().split('\n');
    const items = [];
    for (let n = 0; n < lines.length; n += 2) {
      const { create } = JSON.parse(lines[n]!) as { create: { _index: string; _id: string } };
      const exists = stored.has(create._id);
      if (!exists) stored.set(create._id, { index: create._index, doc: JSON.parse(lines[n + 1]!) });
      items.push({ create: { _index: create._index, _id: create._id, status: exists ? 409 : 201 } });
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: items.some((i) => i.create.status !== 201), items }));
  });
  try {
    const p = await createPipeline({ sinks: { es: { type: 'elasticsearch', endpoints: [`http://127.0.0.1:${rx.port}`], data_stream: 'logs-spyglass-default', auth: { api_key: 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==' }, batch: { max_events: 5, max_wait: '10ms' } } } }, { stateDir: dir, log: () => {} });
    p.start();
    for (let i = 0; i < 12; i++) await p.publish({ kind: 'vuln', source: 'osv', data: { i } });
    assert.ok(await p.flush(5000));
    assert.equal(stored.size, 12);
    const first = [...stored.values()][0] as { index: string; doc: Record<string, unknown> };
    assert.equal(first.index, 'logs-spyglass-default');
    assert.equal(typeof first.doc['@timestamp'], 'string');
    assert.equal(auth[0], 'ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==');
    // replay the same spool records (as after a crash before the checkpoint): all 409, all delivered
    await p.stop();
    fs.rmSync(path.join(dir, 'spool/cursors'), { recursive: true, force: true });
    const again = await createPipeline({ sinks: { es: { type: 'elasticsearch', endpoints: [`http://127.0.0.1:${rx.port}`], data_stream: 'logs-spyglass-default', batch: { max_events: 5, max_wait: '10ms' } } } }, { stateDir: dir, log: () => {} });
    again.start();
    assert.ok(await again.flush(5000));
    const st = again.status().sinks[0]!;
    assert.equal(st.delivered, 12);
    assert.equal(st.deadLettered, 0);
    assert.equal(stored.size, 12, 'no duplicate documents');
    await again.stop();
  } finally { await rx.close(); fs.rmSync(dir, { recursive: true, force: true }); }
});
