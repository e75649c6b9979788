/** Envelope: host identity from a fixture root or the state dir, custom fields, masking. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HostRoot } from '../core/host-root.js';
import { AGENT_VERSION } from '../core/version.js';
import { resolveHostIdentity } from './host-identity.js';
import { EnvelopeBuilder } from './envelope.js';
import { createPipeline } from './pipeline.js';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-'));
}

test('host id comes from /etc/machine-id under the root, host name from /etc/hostname', async () => {
  const dir = tmp();
  try {
    fs.mkdirSync(path.join(dir, 'root/etc'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'root/etc/machine-id'), '0123456789abcdef0123456789abcdef\n');
    fs.writeFileSync(path.join(dir, 'root/etc/hostname'), 'web-01\n');
    const id = await resolveHostIdentity({ root: new HostRoot(path.join(dir, 'root')), stateDir: path.join(dir, 'state') });
    assert.deepEqual(id, { name: 'web-01', id: '0123456789abcdef0123456789abcdef', idSource: 'machine-id', tags: {} });
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('without a machine id, a generated id is kept in the state dir and reused', async () => {
  const dir = tmp();
  try {
    fs.mkdirSync(path.join(dir, 'root/etc'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'root/etc/machine-id'), 'uninitialized\n');
    const root = new HostRoot(path.join(dir, 'root'));
    const a = await resolveHostIdentity({ root, stateDir: path.join(dir, 'state') });
    const b = await resolveHostIdentity({ root, stateDir: path.join(dir, 'state') });
    assert.equal(a.idSource, 'state');
    assert.match(a.id, /^[0-9a-f]{32}$/);
    assert.equal(b.id, a.id);
    assert.equal(fs.readFileSync(path.join(dir, 'state/host-id'), 'utf8').trim(), a.id);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('envelope carries host, agent version, custom fields, and masks secret-looking keys at any depth', () => {
  const b = new EnvelopeBuilder({ host: { name: 'h', id: 'x'.repeat(32), tags: { env: 'prod' } }, fields: { env: 'prod', team: 'sec' }, maskKeys: ['password', 'api_?key'] });
  const time = new Date('2026-01-02T03:04:05Z');
  const e = b.build({ kind: 'query', source: 'users', time, data: { user: 'bob', password: 'hunter2', nested: [{ API_KEY: 'abc', ok: 1 }], empty: { password: '' } } });
  assert.equal(e.time, '2026-01-02T03:04:05.000Z');
  assert.equal(e.kind, 'query');
  assert.deepEqual(e.host, { name: 'h', id: 'x'.repeat(32), tags: { env: 'prod' } });
  assert.deepEqual(e.agent, { name: 'spyglass', version: AGENT_VERSION });
  assert.deepEqual(e.fields, { env: 'prod', team: 'sec' });
  assert.deepEqual(e.data, { user: 'bob', password: '***', nested: [{ API_KEY: '***', ok: 1 }], empty: { password: '' } });
  assert.match(e.id, /^[0-9a-f-]{36}$/);
  assert.notEqual(b.build({ kind: 'agent', source: 's', data: {} }).id, e.id);
});

test('the configured host.id overrides the machine id and host.tags reach the envelope', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-host-'));
  const out = path.join(dir, 'events.jsonl');
  const p = await createPipeline({ sinks: { f: { type: 'file', path: out, batch: { max_wait: '10ms' } } } }, { stateDir: dir, host: { id: 'web-01.example', tags: { env: 'prod', team: 'payments' } }, log: () => {} });
  p.start();
  await p.publish({ kind: 'fim', source: 'test', data: { action: 'created' } });
  assert.ok(await p.flush(5000));
  await p.stop();
  const e = JSON.parse(fs.readFileSync(out, 'utf8').trim()) as { host: { id: string; tags: Record<string, string> } };
  assert.equal(e.host.id, 'web-01.example');
  assert.deepEqual(e.host.tags, { env: 'prod', team: 'payments' });
  assert.equal(p.status().host.id, 'web-01.example');
});
