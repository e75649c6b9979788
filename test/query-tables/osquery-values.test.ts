/**
 * Values where osquery's C++ decides something specific, checked against a real process
 * and the live host: a deleted binary's path, interface_addresses.type.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryEngine } from '../../src/query/engine.js';
import { executableOnDisk } from '../../src/query/tables/processes.js';

const engine = new QueryEngine();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-deleted-'));
after(() => { engine.close(); fs.rmSync(tmp, { recursive: true, force: true }); });

test('processes: a deleted binary\'s path loses the kernel\'s " (deleted)" and on_disk is 0, as osquery', async () => {
  const binary = path.join(tmp, 'sleeper');
  fs.copyFileSync('/bin/sleep', binary);
  fs.chmodSync(binary, 0o755);
  const child = spawn(binary, ['30'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 200));
    fs.unlinkSync(binary);
    assert.equal(fs.readlinkSync(`/proc/${child.pid}/exe`), `${binary} (deleted)`, 'the kernel marks the link');
    const r = QueryEngine.rowObjects(await engine.query(`SELECT path, on_disk FROM processes WHERE pid = ${child.pid}`));
    assert.deepEqual(r, [{ path: binary, on_disk: 0 }]);
    // a file really named "... (deleted)" that is not the running binary does not count
    fs.writeFileSync(`${binary} (deleted)`, 'other');
    assert.deepEqual(executableOnDisk(`${binary} (deleted)`, `/proc/${child.pid}/exe`), { path: binary, onDisk: 0 });
  } finally {
    child.kill();
  }
  assert.deepEqual(executableOnDisk('/bin/sh', '/proc/self/exe'), { path: '/bin/sh', onDisk: 1 });
});

test('interface_addresses: type is "unknown" on every row, as osquery fills it on Linux', async () => {
  const r = QueryEngine.rowObjects(await engine.query('SELECT DISTINCT type FROM interface_addresses'));
  assert.deepEqual(r, [{ type: 'unknown' }]);
});
