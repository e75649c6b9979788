/** GELF: message shape and UDP chunking of a large message, reassembled by a real UDP receiver. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPipeline } from '../../pipeline.js';
import { gelfUdpReceiver } from '../receivers.test-helpers.js';
import { gelfChunks, toGelf } from './index.js';

test('GELF message: 1.1 fields, flattened data as _ fields', () => {
  const m = toGelf({ id: 'e1', time: '2026-01-01T00:00:01.500Z', kind: 'vuln', source: 'osv', host: { name: 'h', id: 'x', tags: { team: 'web' } }, agent: { name: 'spyglass', version: '1' }, fields: { env: 'prod' }, data: { pkg: { name: 'openssl', cves: ['CVE-1'] } } });
  assert.equal(m.version, '1.1');
  assert.equal(m.timestamp, 1767225601.5);
  assert.equal(m.level, 4);
  assert.equal(m._env, 'prod');
  assert.equal(m._host_tag_team, 'web', 'host tags travel as _host_tag_ fields');
  assert.equal(m._data_pkg_name, 'openssl');
  assert.equal(m._data_pkg_cves_0, 'CVE-1');
  assert.ok(!('_id' in m), '_id is reserved in GELF');
});

test('GELF chunking: 12-byte headers with magic, id, sequence and count; at most 128 chunks', () => {
  const chunks = gelfChunks(Buffer.alloc(2000, 1), 512);
  assert.equal(chunks.length, 4);
  for (const [i, c] of chunks.entries()) {
    assert.deepEqual([c[0], c[1], c[10], c[11]], [0x1e, 0x0f, i, 4]);
    assert.ok(c.length <= 512);
    assert.ok(c.subarray(2, 10).equals(chunks[0]!.subarray(2, 10)));
  }
  assert.throws(() => gelfChunks(Buffer.alloc(200_000), 512), /max 128/);
});

test('GELF over UDP: a message larger than one datagram arrives whole', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-gelf-'));
  const rx = await gelfUdpReceiver();
  try {
    const p = await createPipeline({ sinks: { g: { ...rx.sinkConfig, chunk_size: 600, compress: false, batch: { max_wait: '10ms' } } as never } }, { stateDir: dir, log: () => {} });
    p.start();
    await p.publish({ kind: 'fim', source: 'x', data: { i: 7, big: 'y'.repeat(5000) } });
    assert.ok(await p.flush(5000));
    const deadline = Date.now() + 3000;
    while (rx.ids().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(rx.ids(), ['7']);
    await p.stop();
  } finally { await rx.close(); fs.rmSync(dir, { recursive: true, force: true }); }
});
