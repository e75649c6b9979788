/** logstash sink (http mode): a JSON array per request with basic auth; 400 narrows down to the bad event. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redactor } from '../../../core/secret.js';
import { httpReceiver } from '../receivers.test-helpers.js';
import { logstashSinkType } from './index.js';

const envelope = (i: number) => ({ id: `e${i}`, time: '2026-01-01T00:00:00.000Z', kind: 'audit' as const, source: 't', host: { name: 'h', id: 'x', tags: {} }, agent: { name: 'spyglass' as const, version: '1' }, fields: {}, data: { i } });

test('logstash http: JSON array with basic auth; a 400 on a batch asks for one event per request, a 400 on one event rejects it', async () => {
  const auths: Array<string | undefined> = [];
  const rx = await httpReceiver((req, body, res) => {
    auths.push(req.headers.authorization);
    const events = JSON.parse(body) as Array<{ data: { i: number } }>;
    res.writeHead(events.some((e) => e.data.i === 2) ? 400 : 200).end('ok');
  });
  try {
    const cfg = logstashSinkType.schema.parse({ type: 'logstash', mode: 'http', endpoints: [`http://127.0.0.1:${rx.port}`], auth: { username: 'sg', password: 'pw-secret' } });
    const sink = logstashSinkType.create(cfg, { name: 'ls', redactor: new Redactor(), stateDir: '/nonexistent', log: () => {} });
    assert.deepEqual(await sink.send([envelope(0), envelope(1)]), [{ status: 'delivered' }, { status: 'delivered' }]);
    assert.equal(auths[0], 'Basic ' + Buffer.from('sg:pw-secret').toString('base64'));
    const mixed = await sink.send([envelope(1), envelope(2)]);
    assert.ok(mixed.every((o) => o.status === 'retry' && o.alone), JSON.stringify(mixed));
    const [alone] = await sink.send([envelope(2)]);
    assert.equal(alone!.status, 'rejected');
    await sink.close();
  } finally { await rx.close(); }
  assert.throws(() => logstashSinkType.schema.parse({ type: 'logstash', mode: 'tcp' }), /tcp mode needs host and port/);
});
