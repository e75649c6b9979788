/** The query packs shipped in packs/ (the agent's default schedule) validate and run here without errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const packs = readdirSync('packs').filter((f) => f.endsWith('.json')).map((f) => path.join('packs', f));

test('three shipped packs exist', () => {
  assert.ok(packs.length >= 3, packs.join(', '));
});

for (const pack of packs) {
  test(`shipped pack ${pack} validates and every query runs without an error event`, () => {
    const state = mkdtempSync(path.join(os.tmpdir(), 'spyglass-pack-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/run-cli.ts', 'schedule', 'run', pack, '--state-dir', state], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      assert.equal(run.status, 0, run.stderr);
      const events = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const errors = events.filter((e) => e.action === 'error');
      assert.deepEqual(errors, []);
      assert.ok(events.length > 0, 'at least one query returns rows on this machine');
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });
}
