/**
 * `spyglass ship status --state-dir <agent state_dir>` finds the agent's spool (the agent and the
 * CLI name the shipping state directory with one function): a real agent ships to a file sink
 * and to an unreachable HEC, and the CLI shows the backlog while it runs and after it stopped.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '../helpers/waiting.js';
import { cliOutput as cli } from '../helpers/cli-process.js';

const children: ChildProcess[] = [];
after(() => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL'); });



test('ship status --state-dir <the agent\'s state_dir> shows the agent\'s spool, running and stopped', { timeout: 90_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-ship-status-agent-'));
  try {
    const state = path.join(dir, 'state');
    const events = path.join(dir, 'events.jsonl');
    const root = path.join(dir, 'root');
    fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
    fs.writeFileSync(path.join(dir, 'agent.yaml'), `root: ${root}
state_dir: ${state}
shipping:
  sinks:
    local: {type: file, path: ${events}}
    splunk: {type: splunk_hec, endpoints: ['http://127.0.0.1:9'], token: {env: SPYGLASS_STATUS_TEST_TOKEN}}
`);
    const agent = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/run-cli.ts'), 'agent', '-c', path.join(dir, 'agent.yaml'), '--stop-grace', '1'],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SPYGLASS_STATUS_TEST_TOKEN: 'status-test-token' } });
    children.push(agent);
    let stderr = '';
    agent.stderr!.on('data', (d) => { stderr += String(d); });
    const exited = new Promise<number | null>((resolve) => agent.on('exit', (code) => resolve(code)));
    await waitFor('the agent\'s first event in the file sink', () => fs.existsSync(events) && fs.readFileSync(events, 'utf8').includes('"started"'));

    const spool = path.join(state, 'ship', 'spool');
    const running = await cli('ship', 'status', '--state-dir', state);
    assert.equal(running.status, 0, running.stderr);
    assert.ok(running.stdout.startsWith(`spool ${spool}: `), running.stdout);
    const backlog = /^ {2}splunk: (\d+) event\(s\) not yet delivered/m.exec(running.stdout);
    assert.ok(backlog && Number(backlog[1]) >= 1, running.stdout);

    agent.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    const stopped = await cli('ship', 'status', '--state-dir', state, '--json');
    assert.equal(stopped.status, 0, stopped.stderr);
    const info = JSON.parse(stopped.stdout) as { dir: string; headSeq: number; sinks: Array<{ sink: string; depth: number }> };
    assert.equal(info.dir, spool);
    const bySink = Object.fromEntries(info.sinks.map((s) => [s.sink, s.depth]));
    assert.equal(bySink.splunk, info.headSeq - 1, 'the unreachable sink still holds every event');
    // the file sink delivered what came before the stop (the agent's own stop event may remain)
    assert.ok(bySink.local! <= 1 && bySink.local! < bySink.splunk!, stopped.stdout);

    // a garbage cursor file: said plainly, no stack trace (issue 18 item 9)
    fs.writeFileSync(path.join(spool, 'cursors', 'splunk.json'), '{"seq": "garbage');
    const garbage = await cli('ship', 'status', '--state-dir', state);
    assert.equal(garbage.status, 0, garbage.stderr);
    assert.match(garbage.stdout, /^ {2}splunk: cursor file unusable \(not JSON\); the agent restarts this sink at the oldest event: \d+ event\(s\) to send$/m);
    assert.doesNotMatch(garbage.stdout + garbage.stderr, /\n\s+at /);

    const nowhere = await cli('ship', 'status', '--state-dir', path.join(dir, 'nowhere'));
    assert.equal(nowhere.status, 2);
    assert.match(nowhere.stderr, /no spool here \(looked for .*nowhere\/ship\/spool and .*nowhere\/spool\)/);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});
