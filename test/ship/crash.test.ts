/**
 * Crash safety: a child process spools and ships events to an acknowledging HEC server and is
 * killed with SIGKILL at random moments several times, then restarted to finish. Every event the
 * producer saw accepted reaches the server; duplicates are counted and must stay bounded.
 * (bench/ship runs the same with 100 000 events; the test uses fewer to stay quick.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { hecReceiver } from '../../src/ship/sinks/receivers.test-helpers.js';

const TOTAL = Number(process.env.SPYGLASS_CRASH_EVENTS ?? 100_000);
const KILLS = 4;
const TOKEN = 'crash-test-token-0123456789';
const child = path.join(path.dirname(new URL(import.meta.url).pathname), 'crash-child.ts');

function run(stateDir: string, port: number, finish: boolean, killAfterMs?: number): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const p = spawn(process.execPath, ['--import', 'tsx', child, stateDir, String(port), String(TOTAL), ...(finish ? ['--finish'] : [])], { env: { ...process.env, CRASH_HEC_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (d) => { stderr += String(d); });
  // the kill clock starts when the child is up and shipping, so kills land mid-stream
  p.stdout.once('data', () => { if (killAfterMs !== undefined) setTimeout(() => p.kill('SIGKILL'), killAfterMs); });
  return new Promise((resolve) => p.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

test(`crash safety: ${TOTAL} events, SIGKILL ${KILLS} times at random moments, nothing lost`, async () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-crash-'));
  const rx = await hecReceiver(TOKEN, { ack: true });
  try {
    for (let k = 0; k < KILLS; k++) {
      const r = await run(stateDir, rx.port, false, 100 + Math.floor(Math.random() * 900));
      assert.equal(r.signal, 'SIGKILL', `run ${k} was killed (stderr: ${r.stderr})`);
    }
    const progressBefore = Number(fs.readFileSync(path.join(stateDir, 'producer-progress'), 'utf8'));
    assert.ok(progressBefore > 0, 'the killed runs published events');
    const last = await run(stateDir, rx.port, true);
    assert.equal(last.code, 0, `final run delivered everything (stderr: ${last.stderr})`);
    const counts = new Map<string, number>();
    for (const k of rx.ids()) counts.set(k, (counts.get(k) ?? 0) + 1);
    const missing = Array.from({ length: TOTAL }, (_, i) => String(i)).filter((k) => !counts.has(k));
    assert.deepEqual(missing.slice(0, 20), [], `${missing.length} events missing`);
    const duplicates = rx.ids().length - counts.size;
    // bounded: per kill, at most the batches in flight (4 x 500) plus what was acknowledged since the
    // last checkpoint (20 ms) and one producer chunk re-published (500)
    assert.ok(duplicates <= KILLS * 8000, `${duplicates} duplicates (bound ${KILLS * 8000})`);
    process.stderr.write(`crash test: ${TOTAL} events, ${KILLS} kills (producer at ${progressBefore} before the last run), ${duplicates} duplicates\n`);
  } finally {
    await rx.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
});
