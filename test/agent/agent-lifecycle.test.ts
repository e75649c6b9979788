/**
 * The agent's lifecycle on a bad day, as a real child process: reloads that fail keep the
 * running setup (and `config check` finds the same problems), a SIGHUP storm gives one reload
 * and no doubled jobs, SIGTERM stops within --stop-grace even when the receiver never answers.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { promises as fsp, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readJsonLines, waitFor } from '../helpers/waiting.js';

const CLI = path.resolve('test/helpers/run-cli.ts');
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const c of cleanups) await c();
});



const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Running { child: ChildProcess; stderr: () => string; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }

function startAgent(configFile: string, grace = 10): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'agent', '-c', configFile, '--stop-grace', String(grace)], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  child.stdout!.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => stderr, exit };
}

async function workDir(): Promise<string> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spyglass-lifecycle-'));
  cleanups.push(() => fsp.rm(dir, { recursive: true, force: true }));
  await fsp.mkdir(path.join(dir, 'root', 'etc'), { recursive: true });
  await fsp.writeFile(path.join(dir, 'root', 'etc', 'os-release'), 'ID=debian\nVERSION_ID="12"\n');
  await fsp.writeFile(path.join(dir, 'root', 'etc', 'machine-id'), '0123456789abcdef0123456789abcdef\n');
  return dir;
}

const baseConfig = (dir: string, extra = '') => `root: ${dir}/root
state_dir: ${dir}/state
health: {interval: 1s}
watchdog: {cpu_percent: 100}
shipping:
  sinks:
    local: {type: file, path: ${dir}/events.jsonl}
${extra}`;

function configCheck(configFile: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, 'config', 'check', '-c', configFile], { encoding: 'utf8', timeout: 30_000 });
}

/** An agent on the base configuration in a new work dir, once it has said it started. */
async function startedAgent(): Promise<{ dir: string; configFile: string; events: string; agent: Running }> {
  const dir = await workDir();
  const configFile = path.join(dir, 'agent.yaml');
  const events = path.join(dir, 'events.jsonl');
  await fsp.writeFile(configFile, baseConfig(dir));
  const agent = startAgent(configFile);
  await waitFor('the agent start', () => readJsonLines(events).find((e) => e.data.action === 'started'));
  return { dir, configFile, events, agent };
}

test('a reload that fails keeps the running agent, and config check finds what reload found', { timeout: 90_000 }, async () => {
  const { dir, configFile, events, agent } = await startedAgent();

  const bad: Array<[string, string, RegExp]> = [
    ['signatures without trust', 'profiles:\n  require_signature: true\n', /require_signature is set but profiles\.trust names no key/],
    ['a missing trust file', `profiles:\n  require_signature: true\n  trust: [${dir}/missing.pub]\n`, /profiles\.trust: cannot read .*missing\.pub: no such file/],
    ['a trust file without a key', `profiles:\n  require_signature: true\n  trust: [${configFile}]\n`, /holds no PEM public key or certificate/],
  ];
  for (const [what, extra, message] of bad) {
    await fsp.writeFile(configFile, baseConfig(dir, extra));
    const check = configCheck(configFile);
    assert.equal(check.status, 2, `${what}: config check: ${check.stdout}${check.stderr}`);
    assert.match(check.stderr, message, what);
    assert.doesNotMatch(check.stderr, /\n\s+at /, `${what}: no stack trace`);

    const before = readJsonLines(events).length;
    agent.child.kill('SIGHUP');
    const refused = await waitFor(`the refused reload (${what})`, () => readJsonLines(events).slice(before).find((e) => e.data.action === 'error' && /reload refused/.test(e.data.message)));
    assert.match(refused.data.message, message, what);
    assert.equal(agent.child.exitCode, null, `${what}: the agent still runs`);
  }
  // The running setup went on: health events keep coming after the last refusal.
  const count = readJsonLines(events).length;
  await waitFor('health after the refusals', () => readJsonLines(events).slice(count).find((e) => e.data.action === 'health'));
  assert.doesNotMatch(agent.stderr(), /\n\s+at |unhandled|internal error/i);

  agent.child.kill('SIGTERM');
  assert.deepEqual(await agent.exit, { code: 0, signal: null }, agent.stderr());
});

test('a SIGHUP storm gives one reload, no job runs twice per slot, and SIGTERM still stops the agent', { timeout: 90_000 }, async () => {
  const { dir, configFile, events, agent } = await startedAgent();

  for (let i = 0; i < 10; i++) {
    agent.child.kill('SIGHUP');
    await sleep(100);
  }
  const reloaded = await waitFor('the reload', () => readJsonLines(events).find((e) => e.data.action === 'reloaded'));
  await sleep(4_000);
  const all = readJsonLines(events);
  assert.equal(all.filter((e) => e.data.action === 'reloaded').length, 1, 'ten SIGHUPs in one second: one reload');
  // Health runs every second: over the 4 s after the reload, one scheduler gives about 4, two would give 8.
  const healthAfter = all.filter((e) => e.data.action === 'health' && e.time > reloaded.time);
  assert.ok(healthAfter.length >= 2 && healthAfter.length <= 6, `${healthAfter.length} health events in 4 s`);
  assert.doesNotMatch(agent.stderr(), /cannot write the status file/);

  const t0 = Date.now();
  agent.child.kill('SIGTERM');
  assert.deepEqual(await agent.exit, { code: 0, signal: null }, agent.stderr());
  assert.ok(Date.now() - t0 < 10_000, `stopped in ${Date.now() - t0} ms`);
});

test('SIGTERM with a receiver that never answers stops within --stop-grace', { timeout: 90_000 }, async () => {
  const dir = await workDir();
  // Accepts connections and reads requests, never answers.
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => { sockets.push(s); s.resume(); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(async () => { for (const s of sockets) s.destroy(); await new Promise((r) => server.close(r)); });
  const port = (server.address() as net.AddressInfo).port;
  const configFile = path.join(dir, 'agent.yaml');
  await fsp.writeFile(configFile, `root: ${dir}/root
state_dir: ${dir}/state
health: {interval: 1s}
shipping:
  sinks:
    hec: {type: splunk_hec, endpoints: ["http://127.0.0.1:${port}"], token: 00000000-1111-2222-3333-444444444444, timeout: 60s}
`);
  const grace = 3;
  const agent = startAgent(configFile, grace);
  await waitFor('a request to the receiver', () => sockets.length > 0 && agent.stderr().includes('started'), { timeoutMs: 30_000, intervalMs: 50 });
  await sleep(500);
  const t0 = Date.now();
  agent.child.kill('SIGTERM');
  const exit = await agent.exit;
  const took = Date.now() - t0;
  assert.equal(exit.signal, null, agent.stderr());
  assert.equal(exit.code, 0, agent.stderr());
  assert.ok(took <= grace * 1000 + 1_500, `stopped in ${took} ms with --stop-grace ${grace}`);
});

test('turning require_signature on takes the unsigned active set out of use, after a restart and after SIGHUP', { timeout: 120_000 }, async () => {
  const dir = await workDir();
  const set = path.join(dir, 'set');
  await fsp.mkdir(set);
  await fsp.writeFile(path.join(set, 'team.yaml'), 'id: team\ntitle: Team\ncontrols: []\n');
  const keygen = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'profiles', 'keygen', '--out', path.join(dir, 'team')], { encoding: 'utf8' });
  assert.equal(keygen.status, 0, keygen.stderr);
  const configFile = path.join(dir, 'agent.yaml');
  const events = path.join(dir, 'events.jsonl');
  const current = path.join(dir, 'state', 'profiles', 'current');
  const write = (signed: boolean) => fsp.writeFile(configFile, baseConfig(dir, `profiles:\n  sources: [{type: dir, path: ${set}}]\n  require_signature: ${signed}\n  trust: [${dir}/team.pub]\n`));
  const since = (n: number) => readJsonLines(events).slice(n);
  const takenOut = (e: Record<string, any>) => e.data.action === 'error' && /taken out of use|rejected/.test(e.data.message) && /unsigned profile set/.test(e.data.message);

  // Accepted while signatures are off.
  await write(false);
  let agent = startAgent(configFile);
  await waitFor('the unsigned set accepted', () => readJsonLines(events).find((e) => e.data.action === 'profiles_updated'));
  assert.ok(existsSync(current));
  agent.child.kill('SIGTERM');
  assert.equal((await agent.exit).code, 0, agent.stderr());

  // Restart with signatures required: the same set no longer runs.
  await write(true);
  let mark = readJsonLines(events).length;
  agent = startAgent(configFile);
  await waitFor('the set refused at start', () => since(mark).find(takenOut));
  await waitFor('the agent start', () => since(mark).find((e) => e.data.action === 'started'));
  assert.equal(existsSync(current), false, 'no active set');
  assert.equal(since(mark).some((e) => e.data.action === 'profiles_updated'), false);
  agent.child.kill('SIGTERM');
  assert.equal((await agent.exit).code, 0, agent.stderr());

  // Off again (accepted), then on with SIGHUP: refused the same way.
  await write(false);
  mark = readJsonLines(events).length;
  agent = startAgent(configFile);
  await waitFor('the unsigned set accepted again', () => since(mark).find((e) => e.data.action === 'profiles_updated'));
  await write(true);
  mark = readJsonLines(events).length;
  agent.child.kill('SIGHUP');
  await waitFor('the set refused on reload', () => since(mark).find(takenOut));
  await waitFor('the reload', () => since(mark).find((e) => e.data.action === 'reloaded'));
  assert.equal(existsSync(current), false, 'no active set after the reload');

  // Signed by the trusted key: the next reload activates it.
  const sign = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'profiles', 'sign', set, '--key', path.join(dir, 'team.key')], { encoding: 'utf8' });
  assert.equal(sign.status, 0, sign.stderr);
  mark = readJsonLines(events).length;
  agent.child.kill('SIGHUP');
  await waitFor('the signed set accepted', () => since(mark).find((e) => e.data.action === 'profiles_updated'));
  assert.ok(existsSync(current));
  agent.child.kill('SIGTERM');
  assert.equal((await agent.exit).code, 0, agent.stderr());
});
