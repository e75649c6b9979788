/** file sink: JSON lines, rotation by size keeping `keep` old files, new files with `mode`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redactor } from '../../../core/secret.js';
import { fileSinkType } from './index.js';

const envelope = (i: number) => ({ id: `e${i}`, time: '2026-01-01T00:00:00.000Z', kind: 'fim' as const, source: 't', host: { name: 'h', id: 'x', tags: {} }, agent: { name: 'spyglass' as const, version: '1' }, fields: {}, data: { i, pad: 'x'.repeat(250) } });

test('file sink: appends JSON lines, rotates past max_bytes (written "1K") and keeps `keep` old files', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-file-sink-'));
  const file = path.join(dir, 'out', 'events.jsonl');
  const cfg = fileSinkType.schema.parse({ type: 'file', path: file, max_bytes: '1K', keep: 2, mode: '0600' });
  assert.equal(cfg.max_bytes, 1024);
  const sink = fileSinkType.create(cfg, { name: 'f', redactor: new Redactor(), stateDir: dir, log: () => {} });
  for (let i = 0; i < 8; i++) assert.deepEqual(await sink.send([envelope(i)]), [{ status: 'delivered' }]);
  await sink.close();
  const names = fs.readdirSync(path.dirname(file)).sort();
  assert.deepEqual(names, ['events.jsonl', 'events.jsonl.1', 'events.jsonl.2'], 'at most two rotated files');
  const newest = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { data: { i: number } }).data.i);
  assert.deepEqual(newest, [6, 7]);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  fs.rmSync(dir, { recursive: true, force: true });
});
