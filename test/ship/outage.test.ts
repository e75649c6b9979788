/**
 * Outage: the HEC receiver fails every request (resets, 429, 503) for a while as events keep
 * coming. Within the spool cap nothing is lost; beyond it the oldest events are dropped,
 * counted in the status and reported to the SIEM as an `agent` event once it is back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPipeline } from '../../src/ship/pipeline.js';
import { hecReceiver } from '../../src/ship/sinks/receivers.test-helpers.js';

const TOKEN = 'outage-token-abcdef';
const sink = (port: number) => ({ type: 'splunk_hec' as const, endpoints: [`http://127.0.0.1:${port}`], token: TOKEN, batch: { max_events: 50, max_wait: '10ms' }, retry: { initial_delay: '10ms', max_delay: '100ms' } });

async function publishSlowly(p: { publish: (d: never) => Promise<void> }, n: number): Promise<void> {
  for (let i = 0; i < n; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, j) => p.publish({ kind: 'fim', source: 'outage', data: { i: i + j, pad: 'p'.repeat(200) } } as never)));
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('outage within the spool cap: nothing is lost', async () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-outage-'));
  const rx = await hecReceiver(TOKEN);
  try {
    const p = await createPipeline({ sinks: { hec: sink(rx.port) }, spool: { max_bytes: 4 << 20 } }, { stateDir, log: () => {} });
    rx.failNext(1e9);
    p.start();
    await publishSlowly(p as never, 2000);
    await new Promise((r) => setTimeout(r, 200));
    const during = p.status().sinks[0]!;
    assert.equal(rx.ids().length, 0);
    assert.ok(during.depth >= 2000, `depth ${during.depth}`);
    assert.ok(during.oldestAgeSeconds > 0);
    assert.ok(during.retries > 0 && during.lastError);
    rx.failNext(0);
    assert.ok(await p.flush(20_000), 'delivered after the outage');
    assert.deepEqual(new Set(rx.ids()), new Set(Array.from({ length: 2000 }, (_, i) => String(i))));
    assert.equal(p.status().sinks[0]!.dropped, 0);
    await p.stop();
  } finally {
    await rx.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
});

test('outage beyond the spool cap: the oldest are dropped, counted and reported', async () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-outage-'));
  const rx = await hecReceiver(TOKEN);
  try {
    const logs: string[] = [];
    const p = await createPipeline({ sinks: { hec: sink(rx.port) }, spool: { max_bytes: 96 * 1024, segment_bytes: 8192 } }, { stateDir, log: (m) => logs.push(m) });
    rx.failNext(1e9);
    p.start();
    await publishSlowly(p as never, 2000);
    const st = p.status();
    assert.ok(st.spool.bytes <= 96 * 1024, `spool ${st.spool.bytes} bytes within its cap`);
    const dropped = st.sinks[0]!.dropped;
    assert.ok(dropped > 1000, `dropped ${dropped}`);
    assert.ok(logs.some((l) => l.includes('spool full')));
    rx.failNext(0);
    assert.ok(await p.flush(20_000));
    const got = new Set(rx.ids().filter((k) => k !== 'undefined'));
    assert.equal(got.size + dropped, 2000, `received ${got.size} + dropped ${dropped} = every event`);
    assert.ok(got.has('1999'), 'the newest survived');
    assert.ok(!got.has(String(2000 - got.size - 1 - 200)), 'old ones were dropped');
    const report = rx.events.map((e) => e.event as { kind: string; data: { action?: string; count?: number } }).find((e) => e.kind === 'agent' && e.data.action === 'spool_dropped');
    assert.ok(report, 'an agent event reports the drop');
    assert.equal(report.data.count, dropped);
    await p.stop();
  } finally {
    await rx.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
});
