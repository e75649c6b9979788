/**
 * The on-disk format does not change with the CRC-32 implementation: a segment written by the
 * earlier hand-written CRC-32 (bytes below, made with it) encodes identically and still reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAGIC, checkRecord, checksum, encodeRecord, segmentFileName } from './record-format.js';
import { Spool } from './spool.js';

const OLD_SEGMENT = Buffer.from(
  '534753504f4f4c312b000000f81e1714010000000000000000008056febc78427b226b696e64223a226167656e74222c2264617461223a7b226d6573736167'
  + '65223a226669727374227d7d3f0000001e96c816020000000000000000188056febc78427b226b696e64223a2266696d222c2264617461223a7b227061746822'
  + '3a222f6574632f706173737764222c22c3bc223a22c3bc6ec3af63c3b664c3a9227d7d00000000451141ed030000000100000000208056febc7842', 'hex');
const RECORDS = [
  { seq: 1, timeMs: 1700000000000, payload: JSON.stringify({ kind: 'agent', data: { message: 'first' } }) },
  { seq: 2, timeMs: 1700000000001.5, payload: JSON.stringify({ kind: 'fim', data: { path: '/etc/passwd', 'ü': 'ünïcödé' } }) },
  { seq: 0x100000003, timeMs: 1700000000002, payload: '' },
];

test('records encode byte for byte as the spools already on disk (CRC-32 from node:zlib)', () => {
  const encoded = Buffer.concat([MAGIC, ...RECORDS.map((r) => encodeRecord(r.seq, r.timeMs, r.payload))]);
  assert.equal(encoded.toString('hex'), OLD_SEGMENT.toString('hex'));
  assert.equal(checksum(Buffer.from('xx123456789'), 2, 11), 0xcbf43926, 'the IEEE check value');
});

test('a segment written before the change is read back whole by the spool', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-spool-format-'));
  try {
    fs.writeFileSync(path.join(dir, segmentFileName(1)), OLD_SEGMENT);
    const spool = await Spool.open({ dir, maxBytes: 1 << 20, cursors: ['a'] });
    assert.equal(spool.recovery.tornBytes, 0);
    const got = spool.reader('a').read(10, 1 << 20);
    assert.deepEqual(got.map((r) => ({ seq: r.seq, timeMs: r.timeMs, payload: r.payload.toString() })), RECORDS);
    assert.equal(spool.headSeq, 0x100000004);
    await spool.close();
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('a flipped bit anywhere in a record fails its check', () => {
  const rec = encodeRecord(7, 1, '{"a":1}');
  for (let bit = 8 * 4; bit < rec.length * 8; bit++) {
    const copy = Buffer.from(rec);
    copy[bit >> 3]! ^= 1 << (bit & 7);
    assert.notEqual(typeof checkRecord(copy, 0, copy.length, 1 << 20), 'object', `bit ${bit}`);
  }
});
