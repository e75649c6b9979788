/** splunk_hec specifics: wire format, failover across indexers, Retry-After, slow indexers, secrets kept out of every message. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPipeline } from '../../pipeline.js';
import { hecReceiver, httpReceiver } from '../receivers.test-helpers.js';

const TOKEN = 'a1b2c3d4-e5f6-4711-8899-aabbccddeeff';
const fast = { batch: { max_events: 10, max_wait: '10ms' }, retry: { initial_delay: '10ms', max_delay: '100ms' }, timeout: '2000ms' };

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-hec-'));
}

test('HEC wire format: auth header, per-kind index/sourcetype/source, indexed fields, gzip, channel', async () => {
  const dir = tmp();
  const rx = await hecReceiver(TOKEN);
  try {
    const p = await createPipeline({
      host_name: 'db-7', fields: { env: 'prod' },
      sinks: { s: { type: 'splunk_hec', endpoints: [`http://127.0.0.1:${rx.port}`], token: TOKEN, index: 'main', by_kind: { audit: { index: 'compliance', sourcetype: 'spyglass:audit' } }, ...fast } },
    }, { stateDir: dir, log: () => {} });
    p.start();
    await p.publish({ kind: 'audit', source: 'cis', data: { i: 1 }, time: new Date('2026-03-04T05:06:07.250Z') });
    await p.publish({ kind: 'query', source: 'users', data: { i: 2 } });
    assert.ok(await p.flush(5000));
    assert.equal(rx.requests[0]!['content-encoding'], 'gzip');
    assert.match(String(rx.requests[0]!['x-splunk-request-channel']), /^[0-9a-f-]{36}$/);
    const [a, q] = rx.events as Array<Record<string, unknown>>;
    assert.deepEqual({ ...a, event: undefined }, { time: 1772600767.25, host: 'db-7', source: 'spyglass:audit:cis', sourcetype: 'spyglass:audit', index: 'compliance', event: undefined, fields: { kind: 'audit', host_id: p.host.id, env: 'prod' } });
    assert.equal(q!.index, 'main');
    assert.equal(q!.sourcetype, 'spyglass:event');
    await p.stop();
  } finally { await rx.close(); fs.rmSync(dir, { recursive: true, force: true }); }
});

test('HEC: a down indexer fails over to the next one', async () => {
  const dir = tmp();
  const down = await httpReceiver(() => {});
  const downPort = down.port;
  await down.close(); // nothing listens there now: connection refused
  const rx = await hecReceiver(TOKEN);
  try {
    const p = await createPipeline({ sinks: { s: { type: 'splunk_hec', endpoints: [`http://127.0.0.1:${downPort}`, `http://127.0.0.1:${rx.port}`], token: TOKEN, ...fast } } }, { stateDir: dir, log: () => {} });
    p.start();
    for (let i = 0; i < 30; i++) await p.publish({ kind: 'fim', source: 'x', data: { i } });
    assert.ok(await p.flush(5000));
    assert.equal(new Set(rx.ids()).size, 30);
    assert.match(p.status().sinks[0]!.lastError ?? '', /ECONNREFUSED/);
    await p.stop();
  } finally { await rx.close(); fs.rmSync(dir, { recursive: true, force: true }); }
});

test('HEC: 429 with Retry-After is honoured; a slow indexer is waited for, not abandoned', async () => {
  const dir = tmp();
  let first = 0;
  const got: number[] = [];
  const rx = await httpReceiver((req, body, res) => {
    if (first++ === 0) { res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' }).end('{"text":"Server is busy","code":9}'); return; }
    for (const l of body.split('\n')) got.push((JSON.parse(l) as { event: { data: { i: number } } }).event.data.i);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"text":"Success","code":0}');
  }, { slowMs: 300 });
  try {
    const p = await createPipeline({ sinks: { s: { type: 'splunk_hec', endpoints: [`http://127.0.0.1:${rx.port}`], token: TOKEN, compression: 'none', ...fast, batch: { max_events: 100, max_wait: '10ms' } } } }, { stateDir: dir, log: () => {} });
    const t0 = Date.now();
    p.start();
    for (let i = 0; i < 5; i++) await p.publish({ kind: 'fim', source: 'x', data: { i } });
    assert.ok(await p.flush(10_000));
    assert.ok(Date.now() - t0 >= 1000, 'waited the Retry-After second');
    assert.deepEqual(got.sort(), [0, 1, 2, 3, 4]);
    await p.stop();
  } finally { await rx.close(); fs.rmSync(dir, { recursive: true, force: true }); }
});

test('HEC: the token never appears in logs, status or dead letters, even when the server echoes it', async () => {
  const dir = tmp();
  const rx = await hecReceiver('the-right-token', { echoAuthOn401: true });
  process.env.SPYGLASS_TEST_HEC_TOKEN = TOKEN;
  try {
    const logs: string[] = [];
    const p = await createPipeline({ sinks: { s: { type: 'splunk_hec', endpoints: [`http://127.0.0.1:${rx.port}`], token: { env: 'SPYGLASS_TEST_HEC_TOKEN' }, ...fast } } }, { stateDir: dir, log: (m) => logs.push(m) });
    p.start();
    await p.publish({ kind: 'agent', source: 'x', data: {} });
    assert.equal(await p.flush(500), false, 'a wrong token is retried (configuration), not dead-lettered');
    const st = p.status().sinks[0]!;
    assert.match(st.lastError ?? '', /HTTP 401 .*Invalid authorization: Splunk \[REDACTED\]/);
    assert.equal(st.deadLettered, 0);
    await p.stop(0);
    const everything = JSON.stringify(st) + logs.join('\n') + fs.readdirSync(dir, { recursive: true }).map(String).join();
    assert.ok(!everything.includes(TOKEN), 'token leaked');
    // a missing secret is named by its variable, never by a value
    await assert.rejects(createPipeline({ sinks: { s: { type: 'splunk_hec', endpoints: ['http://127.0.0.1:1'], token: { env: 'SPYGLASS_NO_SUCH_VAR' } } } }, { stateDir: dir }), /environment variable SPYGLASS_NO_SUCH_VAR is not set/);
    fs.writeFileSync(path.join(dir, 'tok'), TOKEN + '\n');
    const q = await createPipeline({ sinks: { s: { type: 'splunk_hec', endpoints: ['http://127.0.0.1:1'], token: { file: path.join(dir, 'tok') } } } }, { stateDir: path.join(dir, 'q') });
    await q.stop();
  } finally { delete process.env.SPYGLASS_TEST_HEC_TOKEN; await rx.close(); fs.rmSync(dir, { recursive: true, force: true }); }
});

test('HEC config is strict and says where the problem is', async () => {
  await assert.rejects(createPipeline({ sinks: { s: { type: 'splunk_hec', endpoints: ['http://x:8088'], token: 't', idnex: 'typo' } } } as never, { stateDir: '/nonexistent' }), /sinks\.s.*idnex/);
  await assert.rejects(createPipeline({ sinks: { s: { type: 'splunk_hec', endpoints: [], token: 't' } } } as never, { stateDir: '/nonexistent' }), /sinks\.s\.endpoints/);
});

test('HEC: a 400 that does not say which event is bad is narrowed down one event per request', async () => {
  const dir = tmp();
  const got: number[] = [];
  const rx = await httpReceiver((req, body, res) => {
    const events = body.split('\n').map((l) => (JSON.parse(l) as { event: { data: { i: number; poison?: boolean } } }).event.data);
    if (events.some((e) => e.poison)) { res.writeHead(400, { 'content-type': 'application/json' }).end('{"text":"Invalid data format","code":6}'); return; }
    got.push(...events.map((e) => e.i));
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"text":"Success","code":0}');
  });
  try {
    const p = await createPipeline({ agent_events: false, sinks: { s: { type: 'splunk_hec', endpoints: [`http://127.0.0.1:${rx.port}`], token: TOKEN, compression: 'none', ...fast, batch: { max_events: 100, max_wait: '30ms' } } } }, { stateDir: dir, log: () => {} });
    p.start();
    await Promise.all(Array.from({ length: 6 }, (_, i) => p.publish({ kind: 'fim', source: 'x', data: { i, poison: i === 3 } })));
    assert.ok(await p.flush(5000));
    assert.deepEqual(got.sort(), [0, 1, 2, 4, 5]);
    const dlq = fs.readFileSync(path.join(dir, 'dead-letter/s.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { reason: string; event: { data: { i: number } } });
    assert.deepEqual(dlq.map((d) => d.event.data.i), [3]);
    assert.match(dlq[0]!.reason, /HTTP 400 .*Invalid data format/);
    await p.stop();
  } finally { await rx.close(); fs.rmSync(dir, { recursive: true, force: true }); }
});

test('HEC: a 200 whose body is not a HEC reply (a proxy error page) acknowledges nothing; the events are sent again', async () => {
  const dir = tmp();
  let portal = true;
  const got: number[] = [];
  const rx = await httpReceiver((req, body, res) => {
    if (portal) { res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Please log in to the guest network</body></html>'); return; }
    got.push(...body.split('\n').map((l) => (JSON.parse(l) as { event: { data: { i: number } } }).event.data.i));
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"text":"Success","code":0}');
  });
  try {
    const p = await createPipeline({ agent_events: false, sinks: { s: { type: 'splunk_hec', endpoints: [`http://127.0.0.1:${rx.port}`], token: TOKEN, compression: 'none', ...fast } } }, { stateDir: dir, log: () => {} });
    p.start();
    await Promise.all(Array.from({ length: 4 }, (_, i) => p.publish({ kind: 'audit', source: 'x', data: { i } })));
    assert.equal(await p.flush(400), false, 'nothing counts as delivered while the portal answers');
    assert.match(p.status().sinks[0]!.lastError ?? '', /not a HEC reply/);
    assert.equal(p.status().sinks[0]!.depth, 4);
    portal = false;
    assert.ok(await p.flush(5000));
    assert.deepEqual(got.sort(), [0, 1, 2, 3]);
    await p.stop();
  } finally { await rx.close(); fs.rmSync(dir, { recursive: true, force: true }); }
});
