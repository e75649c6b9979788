/**
 * Shipping benchmark (run by hand: `node --import tsx bench/ship/ship-bench.ts [events]`):
 *  1. events/s from producer to an acknowledging HEC server on loopback, through the spool
 *     (durability fsync, indexer acknowledgement on), CPU seconds per 100 000 events, spool
 *     bytes per event, peak RSS;
 *  2. crash recovery time of a spool holding 1 000 000 events.
 * The HEC server runs in its own process. Results go to stdout as JSON and a summary.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createPipeline } from '../../src/ship/pipeline.js';
import { Spool } from '../../src/ship/spool/spool.js';

const EVENTS = Number(process.argv[2] ?? 200_000);
const DURABILITY = (process.env.SPOOL_DURABILITY ?? 'fsync') as 'fsync' | 'write';
const here = path.dirname(new URL(import.meta.url).pathname);

async function startServer(): Promise<{ port: number; stop: () => void }> {
  const p = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'hec-server.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => p.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  return { port, stop: () => p.kill('SIGTERM') };
}

function sampleEvent(i: number) {
  // the size of a typical FIM/audit event
  return { kind: 'fim' as const, source: 'etc-watch', data: { i, path: `/etc/ssh/sshd_config.d/${i}.conf`, action: 'modified', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', mode: '0644', uid: 0, gid: 0, size: 1234 } };
}

async function throughput(compression: 'none' | 'gzip') {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-bench-'));
  const server = await startServer();
  const p = await createPipeline({
    sinks: { hec: { type: 'splunk_hec', endpoints: [`http://127.0.0.1:${server.port}`], token: 'bench-token', compression, ack: { enabled: true, poll_interval: '20ms' }, batch: { max_events: 2000, max_bytes: 4 << 20, max_wait: '50ms' }, max_in_flight: 4 } },
    spool: { max_bytes: 1 << 30, durability: DURABILITY },
  }, { stateDir, log: () => {} });
  p.start();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // producers publish in chunks and wait for acceptance; two chunks outstanding at a time
  // (e.g. two components publishing), so one chunk is being fsynced while the next is encoded
  const CHUNK = 2000;
  let previous: Promise<unknown> = Promise.resolve();
  for (let i = 0; i < EVENTS; i += CHUNK) {
    const accepted: Promise<void>[] = [];
    for (let j = i; j < Math.min(EVENTS, i + CHUNK); j++) accepted.push(p.publish(sampleEvent(j)));
    await previous;
    previous = Promise.all(accepted);
  }
  await previous;
  const tAccepted = performance.now();
  const ok = await p.flush(300_000);
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const st = p.status();
  const count = Number(await (await fetch(`http://127.0.0.1:${server.port}/count`)).text());
  const spoolBytesPerEvent = p.spool.counters.appendedBytes / p.spool.counters.appended;
  await p.stop();
  server.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
  return {
    compression, events: EVENTS, delivered: ok && st.sinks[0]!.delivered === EVENTS, receivedByServer: count,
    acceptRate: Math.round(EVENTS / ((tAccepted - t0) / 1000)),
    endToEndRate: Math.round(EVENTS / ((t1 - t0) / 1000)),
    cpuSecondsPer100k: +(((cpu.user + cpu.system) / 1e6) * (100_000 / EVENTS)).toFixed(3),
    coresUsed: +(((cpu.user + cpu.system) / 1e3) / (t1 - t0)).toFixed(2),
    spoolBytesPerEvent: Math.round(spoolBytesPerEvent),
  };
}

async function recovery(n: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-bench-rec-'));
  let spool = await Spool.open({ dir, maxBytes: 2 * 1024 ** 3, durability: 'write', cursors: ['hec', 'es'] });
  const payload = Buffer.from(JSON.stringify({ id: '00000000-0000-4000-8000-000000000000', time: new Date().toISOString(), kind: 'fim', source: 'etc-watch', host: { name: 'h', id: 'x'.repeat(32) }, agent: { name: 'spyglass', version: '0.1.0' }, fields: {}, data: sampleEvent(0).data }));
  for (let i = 0; i < n; i += 10_000) {
    const batch: Promise<number>[] = [];
    for (let j = 0; j < 10_000; j++) batch.push(spool.append(payload));
    await Promise.all(batch);
  }
  // one sink halfway, one at the start
  const r = spool.reader('hec');
  let read = 0;
  while (read < n / 2) { const got = r.read(10_000, 1 << 30); read += got.length; r.ack(got.at(-1)!.next); }
  await spool.close();
  // simulate a crash mid-write: a torn record at the end of the newest segment
  const last = fs.readdirSync(dir).filter((f) => f.endsWith('.seg')).sort().at(-1)!;
  fs.appendFileSync(path.join(dir, last), Buffer.alloc(100, 7));
  const bytes = fs.readdirSync(dir).filter((f) => f.endsWith('.seg')).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);
  const t0 = performance.now();
  spool = await Spool.open({ dir, maxBytes: 2 * 1024 ** 3, durability: 'write', cursors: ['hec', 'es'] });
  const ms = performance.now() - t0;
  const firstRead = performance.now();
  const got = spool.reader('hec').read(1, 1 << 20);
  const firstReadMs = performance.now() - firstRead;
  const res = { events: n, spoolBytes: bytes, segments: spool.segments.length, recoveryMs: +ms.toFixed(1), tornBytesTruncated: spool.recovery.tornBytes, firstReadSeq: got[0]?.seq, firstReadMs: +firstReadMs.toFixed(2), headSeq: spool.headSeq };
  await spool.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return res;
}

const results = {
  date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model,
  throughput: [await throughput('none'), await throughput('gzip')],
  peakRssAfterThroughputMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  recovery: await recovery(1_000_000),
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
};
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
