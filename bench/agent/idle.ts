/**
 * Idle cost of the agent with the default configuration (packaging/agent.yaml: audit daily
 * with a run at start, the three shipped packs, /etc, /usr/bin, /usr/sbin and /root/.ssh
 * watched), events to a local file sink.
 *
 *   node --import tsx bench/agent/idle.ts [idle-seconds=300] [simulated-hour-seconds=120]
 *
 * Phase 1 (real schedule): start, wait until the start-up audit and FIM scan are done, then
 * measure RSS and CPU over the idle period. Phase 2 (simulated hour): the same agent config
 * with every pack interval divided by 60, run for N seconds ≈ N minutes of schedule, then RSS
 * and CPU (scaled back to one real hour). Samples /proc/<pid>/stat and /proc/<pid>/status.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const idleSeconds = Number(process.argv[2] ?? 300);
const simulatedSeconds = Number(process.argv[3] ?? 120);
const TICKS = 100; // USER_HZ on Linux

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime + stime
}
/** RSS of the agent and its children (the query worker process), in MB. */
function rssMb(pid: number): number {
  let kb = 0;
  const visit = (p: number) => {
    try {
      kb += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))![1]);
      for (const task of readdirSync(`/proc/${p}/task`)) {
        for (const child of readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) visit(Number(child));
      }
    } catch { /* exited meanwhile */ }
  };
  visit(pid);
  return kb / 1024;
}
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

async function phase(name: string, packIntervalDivisor: number, seconds: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spyglass-bench-agent-'));
  const packsDir = path.join(dir, 'packs');
  const packNames: string[] = [];
  await import('node:fs').then((fs) => fs.mkdirSync(packsDir));
  for (const file of readdirSync('packs').filter((f) => f.endsWith('.json'))) {
    const pack = JSON.parse(readFileSync(path.join('packs', file), 'utf8'));
    for (const q of Object.values(pack.queries) as Array<{ interval: number }>) q.interval = Math.max(10, Math.round(q.interval / packIntervalDivisor));
    writeFileSync(path.join(packsDir, file), JSON.stringify(pack));
    packNames.push(path.join(packsDir, file));
  }
  let config = readFileSync('packaging/agent.yaml', 'utf8')
    .replace('state_dir: /var/lib/spyglass', `state_dir: ${dir}/state`)
    .replace('config: /etc/spyglass/fim.yaml', `config: ${path.resolve('packaging/fim.yaml')}`)
    .replace(/packs: \[[^\]]+\]/, `packs: [${packNames.join(', ')}]`);
  config += `\nshipping:\n  sinks:\n    local: {type: file, path: ${dir}/events.jsonl}\n`;
  writeFileSync(path.join(dir, 'agent.yaml'), config);
  const child = spawn(process.execPath, ['bin/spyglass.js', 'agent', '-c', path.join(dir, 'agent.yaml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const pid = child.pid!;
  // Settled: the start-up audit and inventory ran, and the FIM start-up scan is over.
  const statusFile = path.join(dir, 'state', 'status.json');
  const t0 = Date.now();
  for (;;) {
    await sleep(1);
    if (existsSync(statusFile)) {
      const st = JSON.parse(readFileSync(statusFile, 'utf8'));
      const audit = st.jobs.find((j: { name: string }) => j.name === 'audit');
      if (audit?.runs >= 1 && st.fim) break;
    }
    if (Date.now() - t0 > 300_000) throw new Error('agent did not settle in 5 minutes');
  }
  const settleSeconds = (Date.now() - t0) / 1000;
  const rssSettled = rssMb(pid);
  const cpuSettled = cpuSeconds(pid);
  let peak = rssSettled;
  for (let t = 0; t < seconds; t += 5) {
    await sleep(5);
    peak = Math.max(peak, rssMb(pid));
  }
  const cpuUsed = cpuSeconds(pid) - cpuSettled;
  const rssEnd = rssMb(pid);
  const events = readFileSync(path.join(dir, 'events.jsonl'), 'utf8').split('\n').length - 1;
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  return { name, settleSeconds, rssSettled, rssEnd, peak, cpuUsed, seconds, cpuPercent: (cpuUsed / seconds) * 100, events };
}

const results = [await phase('real schedule, idle', 1, idleSeconds), await phase(`simulated: pack intervals / 60 for ${simulatedSeconds}s (≈ ${simulatedSeconds} min of schedule)`, 60, simulatedSeconds)];
for (const r of results) {
  console.log(`${r.name}: settled in ${r.settleSeconds.toFixed(0)} s; RSS settled ${r.rssSettled.toFixed(0)} MB, end ${r.rssEnd.toFixed(0)} MB, peak ${r.peak.toFixed(0)} MB; CPU ${r.cpuUsed.toFixed(2)} s over ${r.seconds} s = ${r.cpuPercent.toFixed(2)}% of a core; events ${r.events}`);
}
