/**
 * The agent never ships its own secrets (#18 item 5), as a real child process: its HEC token
 * (from its environment), another secret-looking variable and an inline sink password show
 * up in what it collects (process_envs of its own process, another process's command line, a
 * FIM content diff), and neither the HEC receiver nor the file sink ever gets one of them.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { promises as fsp, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '../helpers/waiting.js';

const children: ChildProcess[] = [];
after(() => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); });

/** Waits for `probe`, giving up at once if the agent (children[1]) has exited. */
const waitForAgent = <T>(what: string, probe: () => T | undefined | false, timeoutMs = 45_000) => waitFor(what, probe, {
  timeoutMs,
  stopIf: () => { const agent = children[1]; return agent && agent.exitCode !== null ? `the agent exited (${agent.exitCode})` : undefined; },
});

test('a pack query on process_envs of the agent itself, a command line and a FIM diff ship no secret of the agent', { timeout: 120_000 }, async () => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spyglass-own-secrets-'));
  const hecToken = randomUUID();
  const otherToken = `tok-${randomUUID()}`;
  const lsPassword = `pw-${randomUUID()}`;
  const secrets = [hecToken, otherToken, lsPassword];

  const received: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      received.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"text":"Success","code":0}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;

  // Another process whose command line carries the token: masked by value, whoever holds it.
  const holder = spawn('sh', ['-c', `sleep 120 # ${hecToken}`], { stdio: 'ignore' });
  children.push(holder);

  const watched = path.join(dir, 'watched');
  await fsp.mkdir(watched);
  await fsp.writeFile(path.join(watched, 'app.conf'), 'mode=1\n');
  await fsp.writeFile(path.join(dir, 'fim.yaml'), `watch:\n  - path: ${watched}\n    category: config\ndiff:\n  enabled: true\n`);
  await fsp.writeFile(path.join(dir, 'pack.json'), JSON.stringify({
    queries: {
      own_env: { query: "SELECT pid, key, value FROM process_envs WHERE key LIKE 'SPYGLASS_%' OR key LIKE 'OTHER_%'", interval: 2, snapshot: true },
      cmdlines: { query: "SELECT pid, cmdline FROM processes WHERE cmdline LIKE '%sleep 120%'", interval: 2, snapshot: true },
    },
  }));
  const events = path.join(dir, 'events.jsonl');
  const configFile = path.join(dir, 'agent.yaml');
  await fsp.writeFile(configFile, `root: /
state_dir: ${dir}/state
jobs:
  queries: {packs: [${dir}/pack.json]}
  fim: {every: 6h, config: ${dir}/fim.yaml}
watchdog: {cpu_percent: 100}
shipping:
  sinks:
    hec: {type: splunk_hec, endpoints: ["http://127.0.0.1:${port}"], token: {env: SPYGLASS_HEC_TOKEN}, compression: none, batch: {max_wait: 100ms}}
    local: {type: file, path: ${events}}
    ls: {type: logstash, mode: http, endpoints: ["http://127.0.0.1:9"], kinds: [vuln], auth: {username: agent, password: "${lsPassword}"}}
`);
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/run-cli.ts'), 'agent', '-c', configFile, '--stop-grace', '5'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SPYGLASS_HEC_TOKEN: hecToken, OTHER_API_TOKEN: otherToken, SPYGLASS_NOTE: `password is ${lsPassword}` },
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  child.stdout!.resume();
  const readEvents = () => (existsSync(events) ? readFileSync(events, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

  try {
    // The agent's own environment, read back through process_envs.
    const own = await waitForAgent('the own_env rows of the agent process', () => readEvents().find((e) => e.kind === 'query' && String(e.data.name).endsWith('own_env')
      && e.data.snapshot?.some((r: { pid: unknown; key: string }) => Number(r.pid) === child.pid && r.key === 'SPYGLASS_HEC_TOKEN')));
    const rows = own.data.snapshot.filter((r: { pid: unknown }) => Number(r.pid) === child.pid);
    const byKey = Object.fromEntries(rows.map((r: { key: string; value: string }) => [r.key, r.value]));
    assert.equal(byKey.SPYGLASS_HEC_TOKEN, '***', 'the token is masked by value');
    assert.equal(byKey.SPYGLASS_NOTE, 'password is ***', 'a secret inside a longer value is masked, the rest kept');
    const cmd = await waitForAgent('the holder command line', () => readEvents().find((e) => e.kind === 'query' && String(e.data.name).endsWith('cmdlines')
      && e.data.snapshot?.some((r: { pid: unknown }) => Number(r.pid) === holder.pid)));
    const holderRow = cmd.data.snapshot.find((r: { pid: unknown }) => Number(r.pid) === holder.pid);
    assert.equal(holderRow.cmdline, 'sh -c sleep 120 # ***');

    // A FIM content diff of a file the token was written into.
    await waitForAgent('the fim service', () => existsSync(path.join(dir, 'state', 'status.json')) && JSON.parse(readFileSync(path.join(dir, 'state', 'status.json'), 'utf8')).fim?.watchedPaths >= 1);
    await fsp.writeFile(path.join(watched, 'app.conf'), `mode=1\ntoken_for_app=${otherToken}\n`);
    const diffEvent = await waitForAgent('the fim diff', () => readEvents().find((e) => e.kind === 'fim' && e.data.path?.endsWith('app.conf') && JSON.stringify(e.data).includes('token_for_app')));
    assert.match(JSON.stringify(diffEvent.data), /token_for_app=\*\*\*/);

    await waitForAgent('events at the HEC receiver', () => received.join('').includes('own_env') && received.join('').includes('token_for_app'));
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${stderr}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
    holder.kill('SIGKILL');
    server.close();
  }
  const shipped = readFileSync(events, 'utf8') + received.join('\n');
  for (const secret of secrets) {
    assert.equal(shipped.includes(secret), false, 'no secret of the agent in what it shipped');
    assert.equal(shipped.includes(Buffer.from(secret).toString('base64')), false, 'nor its base64 form');
  }
  assert.equal(stderr.includes(hecToken), false);
  await fsp.rm(dir, { recursive: true, force: true });
});
