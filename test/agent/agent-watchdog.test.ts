/**
 * The agent's watchdog stops a runaway job: a job that keeps allocating pushes the agent's RSS
 * over watchdog.max_memory, is aborted, reported as an agent event and held back, while the
 * other jobs keep running.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent } from '../../src/agent/agent.js';
import type { JobProvider } from '../../src/agent/agent-context.js';

test('a job that runs away with memory is stopped, reported and held back; the others go on', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spyglass-watchdog-'));
  const events = path.join(dir, 'events.jsonl');
  const limitMb = Math.ceil(process.memoryUsage.rss() / 1024 / 1024) + 96;
  writeFileSync(path.join(dir, 'agent.yaml'), `state_dir: ${dir}/state
watchdog: {max_memory: ${limitMb}M, hold: 1h}
health: {interval: 1h}
shipping:
  sinks:
    local: {type: file, path: ${events}}
`);
  const hoard: Buffer[] = [];
  let hogAborted = false;
  let steadyRuns = 0;
  const provider: JobProvider = {
    name: 'test',
    async build() {
      return {
        jobs: [
          {
            name: 'hog', schedule: { every: 3_600_000 }, runOnStart: true,
            run: async (signal) => {
              while (!signal.aborted) {
                const chunk = Buffer.alloc(8 * 1024 * 1024, 1); // touched pages count in RSS
                hoard.push(chunk);
                await new Promise((r) => setTimeout(r, 50));
                if (hoard.length > 200) throw new Error('the watchdog never stopped the hog');
              }
              hogAborted = true;
            },
          },
          { name: 'steady', schedule: { every: 1_000 }, runOnStart: true, run: async () => { steadyRuns++; } },
        ],
      };
    },
  };
  const agent = new Agent({ configFile: path.join(dir, 'agent.yaml'), providers: [provider], log: () => {} });
  await agent.start();
  try {
    const start = Date.now();
    let stopped: Record<string, any> | undefined;
    while (!stopped && Date.now() - start < 40_000) {
      await new Promise((r) => setTimeout(r, 200));
      const lines = existsSync(events) ? readFileSync(events, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
      stopped = lines.find((e) => e.kind === 'agent' && e.data.action === 'error' && /watchdog stopped job hog/.test(e.data.message));
    }
    assert.ok(stopped, 'an agent event says the watchdog stopped the hog');
    assert.match(stopped.data.message, new RegExp(`over the ${limitMb} MB limit`));
    hoard.length = 0; // let the memory go
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(hogAborted, 'the job saw its abort signal');
    const status = JSON.parse(readFileSync(path.join(dir, 'state', 'status.json'), 'utf8'));
    const hog = status.jobs.find((j: { name: string }) => j.name === 'hog');
    assert.ok(hog.heldUntil > Date.now() + 30 * 60_000, 'held back for the configured hour');
    assert.equal(hog.lastOutcome, 'stopped');
    const before = steadyRuns;
    await new Promise((r) => setTimeout(r, 2_500));
    assert.ok(steadyRuns > before, 'the other job keeps running');
  } finally {
    hoard.length = 0;
    await agent.stop(5_000);
    rmSync(dir, { recursive: true, force: true });
  }
});
