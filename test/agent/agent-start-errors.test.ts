/** The agent refuses to start on a bad configuration, says why, and exits (nothing half-started keeps it alive). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const agent = (config: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spyglass-agent-bad-'));
  writeFileSync(path.join(dir, 'agent.yaml'), config.replaceAll('$DIR', dir));
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/run-cli.ts'), 'agent', '-c', path.join(dir, 'agent.yaml')], { encoding: 'utf8', timeout: 30_000 });
  rmSync(dir, { recursive: true, force: true });
  return r;
};

test('an invalid configuration: exit 2 with file:line:column, before anything starts', () => {
  const r = agent('state_dir: $DIR/state\njobs:\n  audit: {every: soon}\n');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /agent\.yaml:3:\d+: jobs\.audit\.every/);
});

test('signatures required but no trust anchor: exit 2 after closing the spool it opened', () => {
  const r = agent('state_dir: $DIR/state\nprofiles:\n  require_signature: true\n  sources: [{type: dir, path: $DIR}]\n');
  assert.equal(r.signal, null, 'it exited by itself, not by the test timeout');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /require_signature is set but profiles\.trust names no key/);
});

test('a state_dir that cannot be made or written: exit 2 naming state_dir, no stack trace', async (t) => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'spyglass-agent-state-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  writeFileSync(path.join(base, 'file'), '');
  const cases: Array<[string, RegExp]> = [
    [path.join(base, 'file', 'state'), /state_dir .*file\/state: cannot create it: not a directory/],
    ['/proc/spyglass-state', /state_dir \/proc\/spyglass-state: cannot create it/], // node's recursive mkdir never returns here
  ];
  if (existsSync('/sys/kernel')) cases.push(['/sys/kernel', /state_dir \/sys\/kernel: cannot write there: permission denied/]);
  if (process.getuid?.() !== 0) {
    mkdirSync(path.join(base, 'ro'), { mode: 0o555 });
    cases.push([path.join(base, 'ro', 'state'), /state_dir .*ro\/state: cannot create it: permission denied/]);
  }
  for (const [dir, message] of cases) {
    const r = agent(`state_dir: ${dir}\n`);
    assert.equal(r.signal, null, `${dir}: exited by itself`);
    assert.equal(r.status, 2, `${dir}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, `${dir}: no stack trace`);
  }
});

test('profiles sign with a key that is not one, verify with a broken trust file: one line, exit 2', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spyglass-sign-bad-'));
  try {
    writeFileSync(path.join(dir, 'p.yaml'), 'controls: []\n');
    writeFileSync(path.join(dir, 'bad.pub'), '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n');
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/run-cli.ts'), ...args], { encoding: 'utf8', timeout: 30_000 });
    const sign = cli('profiles', 'sign', dir, '--key', '/etc/passwd');
    assert.equal(sign.status, 2, sign.stderr);
    assert.match(sign.stderr, /^spyglass: \/etc\/passwd: not a PEM private key/);
    assert.doesNotMatch(sign.stderr, /\n\s+at |internal error/);
    const verify = cli('profiles', 'verify', dir, '--trust', path.join(dir, 'bad.pub'));
    assert.equal(verify.status, 2, verify.stderr);
    assert.match(verify.stderr, /bad\.pub: a PEM block \(PUBLIC KEY\) is not a usable public key/);
    assert.doesNotMatch(verify.stderr, /\n\s+at |internal error/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const fault of ['throw', 'reject'] as const) {
  test(`an error nothing caught (${fault}) is logged in one line, shipped as an agent event, and the agent exits 70`, { timeout: 60_000 }, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spyglass-agent-fault-'));
    try {
      writeFileSync(path.join(dir, 'agent.yaml'), `state_dir: ${dir}/state\nroot: ${dir}\nshipping:\n  sinks:\n    local: {type: file, path: ${dir}/events.jsonl}\n`);
      const r = spawnSync(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/run-cli-with-fault.ts'), 'agent', '-c', path.join(dir, 'agent.yaml')], {
        encoding: 'utf8', timeout: 45_000, env: { ...process.env, SPYGLASS_TEST_FAULT: fault },
      });
      assert.equal(r.signal, null, `exited by itself: ${r.stderr}`);
      assert.equal(r.status, 70, r.stderr);
      assert.match(r.stderr, /spyglass agent: internal error \((uncaught exception|unhandled rejection)\): .*injected fault.* \(at .*run-cli-with-fault\.ts:\d+:\d+\)/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      const events = readFileSync(path.join(dir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const fatal = events.find((e) => e.kind === 'agent' && e.data.action === 'fatal');
      assert.ok(fatal, 'a fatal agent event was shipped');
      assert.match(fatal.data.message, /injected fault/);
      assert.ok(events.some((e) => e.data.action === 'stopping'), 'the spool was closed through the normal stop');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
