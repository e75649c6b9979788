/**
 * The agent as a real child process: it starts its jobs, ships events through the spool to a
 * file sink, reports file changes in real time, opens no listening socket, reloads on SIGHUP
 * (keeping the running setup when the new configuration is bad) and stops on SIGTERM.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp, readFileSync, readdirSync, readlinkSync, existsSync } from 'node:fs';
import path from 'node:path';
import { buildFixtureRoot } from '../helpers/fixture-root.js';
import { readJsonLines, waitFor } from '../helpers/waiting.js';

const children: ChildProcess[] = [];
after(() => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL'); });



/** Socket inodes this process holds, and the inodes of every listening TCP/UDP socket. */
function listeningSocketsOf(pid: number): string[] {
  const mine = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) mine.add(m[1]!);
    } catch { /* fd closed meanwhile */ }
  }
  const listening: string[] = [];
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    const lines = readFileSync(`/proc/${pid}/net/${table}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      const state = cols[3];
      const inode = cols[9]!;
      // TCP LISTEN is 0A; an unconnected bound UDP socket (07) is a listener too.
      if ((state === '0A' || (table.startsWith('udp') && state === '07')) && mine.has(inode)) listening.push(`${table}:${cols[1]}`);
    }
  }
  return listening;
}

test('the agent runs its jobs, ships events, watches files, listens on nothing, reloads and stops', { timeout: 120_000 }, async () => {
  const fixture = await buildFixtureRoot({
    '/etc/os-release': 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n',
    '/etc/group': 'root:x:0:\n',
    '/etc/machine-id': '0123456789abcdef0123456789abcdef\n',
    '/watched/existing.conf': 'a=1\n',
  });
  const work = path.dirname(fixture.dir);
  const dir = await fsp.mkdtemp(path.join(work, 'spyglass-agent-'));
  const state = path.join(dir, 'state');
  const events = path.join(state, 'events.jsonl');
  await fsp.writeFile(path.join(dir, 'fim.yaml'), 'watch:\n  - path: /watched\n    category: config\n');
  await fsp.writeFile(path.join(dir, 'tracker.json'), '{"openssl": {}}\n');
  const config = (tags: string) => `root: ${fixture.dir}
state_dir: ${state}
host:
  tags: {${tags}}
jobs:
  audit: {every: 1h, run_on_start: true}
  fim: {every: 6h, config: ${path.join(dir, 'fim.yaml')}}
  inventory: {every: 1d, run_on_start: true, queries: ["SELECT name, version FROM os_version"]}
  vuln: {every: 1d, run_on_start: true, feeds: [${path.join(dir, 'tracker.json')}]}
health: {interval: 2s}
watchdog: {cpu_percent: 100}
shipping:
  fields: {team: blue}
  sinks:
    local: {type: file, path: ${events}}
`;
  const configFile = path.join(dir, 'agent.yaml');
  await fsp.writeFile(configFile, config('env: test'));

  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/run-cli.ts'), 'agent', '-c', configFile, '--stop-grace', '10'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });

  // Jobs ran and their events went through the spool to the sink, with the envelope.
  const summary = await waitFor('the audit summary event', () => readJsonLines(events).find((e) => e.kind === 'audit' && e.data.action === 'summary'));
  assert.equal(summary.host.id, '0123456789abcdef0123456789abcdef');
  assert.equal(summary.fields.team, 'blue');
  assert.equal(summary.source, 'cis-debian-12');
  const controls = readJsonLines(events).filter((e) => e.kind === 'audit' && e.data.action === 'control');
  assert.ok(controls.length >= 40, `${controls.length} control events`);
  assert.ok(controls.every((c) => ['pass', 'fail', 'controlled', 'not_applicable', 'error'].includes(c.data.status)));
  await waitFor('the inventory snapshot', () => readJsonLines(events).find((e) => e.kind === 'query' && e.data.name === 'inventory_1' && e.data.snapshot?.[0]?.version === '12'));

  // Real-time file integrity through the same pipeline.
  await waitFor('the fim service', () => existsSync(path.join(state, 'status.json')) && JSON.parse(readFileSync(path.join(state, 'status.json'), 'utf8')).fim?.watchedPaths >= 1);
  await fsp.writeFile(path.join(fixture.dir, 'watched', 'added.conf'), 'b=2\n');
  const created = await waitFor('the fim event', () => readJsonLines(events).find((e) => e.kind === 'fim' && e.data.path === '/watched/added.conf'));
  assert.equal(created.data.action, 'created');

  // Every kind of event the agent ships carries the host tags in its envelope.
  await waitFor('a vuln event', () => readJsonLines(events).find((e) => e.kind === 'vuln'));
  const shipped = readJsonLines(events);
  assert.deepEqual([...new Set(shipped.map((e) => e.kind))].sort(), ['agent', 'audit', 'fim', 'query', 'vuln']);
  const untagged = shipped.filter((e) => e.host?.tags?.env !== 'test');
  assert.deepEqual(untagged.map((e) => `${e.kind}/${e.data.action}`), [], 'events without host.tags');

  // The agent only connects out.
  assert.deepEqual(listeningSocketsOf(child.pid!), []);

  // Health events and the status file.
  const health = await waitFor('a health event', () => readJsonLines(events).find((e) => e.kind === 'agent' && e.data.action === 'health'));
  assert.equal(typeof health.data.resources.rss_bytes, 'number', 'the health event carries the status with snake_case keys');
  assert.equal(typeof health.data.host_id, 'string');
  assert.equal(health.data.hostId, undefined, 'no camelCase key in the health event');
  const status = JSON.parse(readFileSync(path.join(state, 'status.json'), 'utf8'));
  assert.equal(status.pid, child.pid);
  assert.deepEqual(status.jobs.map((j: { name: string }) => j.name).sort(), ['audit', 'health', 'inventory', 'vuln']);
  assert.equal(status.sinks[0].name, 'local');

  // SIGHUP with a bad configuration: refused, the agent keeps running.
  await fsp.writeFile(configFile, config('env: test') + 'jobs_typo: 1\n');
  child.kill('SIGHUP');
  const refused = await waitFor('the refused reload', () => readJsonLines(events).find((e) => e.kind === 'agent' && e.data.action === 'error' && /reload refused/.test(e.data.message)));
  assert.match(refused.data.message, /agent\.yaml:\d+:\d+: .*jobs_typo/);
  assert.equal(child.exitCode, null);

  // SIGHUP with a good one: reloaded.
  await fsp.writeFile(configFile, config('env: staging'));
  child.kill('SIGHUP');
  const reloaded = await waitFor('the reload', () => readJsonLines(events).find((e) => e.kind === 'agent' && e.data.action === 'reloaded'));
  assert.equal(reloaded.host.tags.env, 'staging', 'reloaded tags reach the envelope');

  // SIGTERM: a bounded, clean stop that flushes its last event.
  const t0 = Date.now();
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 0, stderr);
  assert.ok(Date.now() - t0 < 15_000, `stopped in ${Date.now() - t0} ms`);
  assert.ok(readJsonLines(events).some((e) => e.kind === 'agent' && e.data.action === 'stopping'));
  await fixture.cleanup();
  await fsp.rm(dir, { recursive: true, force: true });
});
