/**
 * Child process of the crash-safety test: publishes events numbered from where its progress
 * file says it got to (the producer's own record of what was accepted), to a HEC server, and
 * is killed with SIGKILL at random moments by the parent. With `--finish` it publishes the rest,
 * waits until everything is delivered and exits 0.
 * Usage: crash-child.ts STATE_DIR HEC_PORT TOTAL [--finish]
 */
import fs from 'node:fs';
import path from 'node:path';
import { createPipeline } from '../../src/ship/pipeline.js';

const [stateDir, port, totalText, finish] = process.argv.slice(2) as [string, string, string, string | undefined];
const total = Number(totalText);
const progressFile = path.join(stateDir, 'producer-progress');

const pipeline = await createPipeline({
  sinks: {
    hec: {
      type: 'splunk_hec', endpoints: [`http://127.0.0.1:${port}`], token: { env: 'CRASH_HEC_TOKEN' }, compression: 'none',
      ack: { enabled: true, poll_interval: '20ms' }, batch: { max_events: 500, max_wait: '20ms' }, retry: { initial_delay: '20ms', max_delay: '200ms' }, max_in_flight: 4,
    },
  },
  spool: { max_bytes: 256 << 20, checkpoint_interval: '20ms' },
}, { stateDir, log: (m) => process.stderr.write(m + '\n') });
pipeline.start();
process.stdout.write('ready\n');

let next = fs.existsSync(progressFile) ? Number(fs.readFileSync(progressFile, 'utf8')) : 0;
const CHUNK = 500;
while (next < total) {
  const end = Math.min(total, next + CHUNK);
  const accepted: Promise<void>[] = [];
  for (let i = next; i < end; i++) accepted.push(pipeline.publish({ kind: 'fim', source: 'crash-test', data: { i, path: `/etc/file-${i}` } }));
  await Promise.all(accepted);
  next = end;
  fs.writeFileSync(progressFile + '.tmp', String(next));
  fs.renameSync(progressFile + '.tmp', progressFile);
  if (!finish) await new Promise((r) => setImmediate(r));
}
if (finish) {
  const ok = await pipeline.flush(60_000);
  await pipeline.stop();
  process.exit(ok ? 0 : 3);
}
// not finishing: keep delivering until killed
await new Promise(() => {});
