/**
 * The cases of issue 18 this suite owns, end to end through the CLI and the agent:
 * - root's password hash never reaches the JSON report or the shipped audit events (5.4.2.4);
 * - `^(a+)+$` over matching files cannot freeze an audit: it finishes, the check time budget
 *   still fires, and the agent stops on SIGTERM in the middle of such an audit;
 * - a FIFO at /etc/sudoers.d/evil does not hang the built-in CIS audit.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { assertNoStackTrace, assertRun, materialize, REPO, runCli, tempDir } from './harness.js';
import { waitFor } from '../helpers/waiting.js';

const ROOT_HASH = '$6$Qx7saltsalt$9m2Lk4Jh6Gf8Ds0Aq1Wz3Ex5Rc7Vt9By1Nu3Mi5Ko7Lp9Zx1Cv3Bn5Mq7Wr9Et1Yu3Io5Pa7Sd9Fg1Hj3Kl5Zx7';
const SUDO_STATUS = 'Package: sudo\nStatus: install ok installed\nPriority: optional\nSection: admin\nArchitecture: amd64\nVersion: 1.9.13p3-1+deb12u1\nDescription: sudo\n\n';

const work = tempDir('issue18');
after(() => fs.rmSync(work, { recursive: true, force: true }));

function hostRoot(name: string, extra: Record<string, Parameters<typeof materialize>[1]> = {}): string {
  const root = path.join(work, name);
  const base: Record<string, Parameters<typeof materialize>[1]> = {
    'etc/os-release': 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
    'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n',
    'etc/group': 'root:x:0:\n',
    'etc/shadow': `root:${ROOT_HASH}:19000:0:99999:7:::\n`,
    'etc/machine-id': '0123456789abcdef0123456789abcdef\n',
    ...extra,
  };
  for (const [rel, f] of Object.entries(base)) materialize(path.join(root, rel), f);
  return root;
}

/** 30 files of one 2 MiB line of "a": every line matches ^(a+)+$ (exponential for a backtracking engine). */
function bigMatchingFiles(count = 30): Record<string, string> {
  const line = 'a'.repeat(2 * 1024 * 1024) + '\n';
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`big/f${i}.txt`, line]));
}

const REGEX_PROFILE = (glob: string) => `id: hostile-regex
title: a catastrophic pattern
version: "1"
controls:
  - id: catastrophic
    title: ^(a+)+$ over matching lines
    checks:
      - {type: file_content, path: '${glob}', pattern: '^(a+)+$', expect: absent}
  - id: root-hash-shape
    title: root has a SHA-512 hash (the line is evidence)
    checks:
      - {type: file_content, path: /etc/shadow, pattern: '^root:\\$6\\$'}
`;

test('the JSON report of 5.4.2.4 shows root\'s shadow line without the hash', { timeout: 60_000 }, async () => {
  const root = hostRoot('report');
  const run = await runCli(['audit', '--root', root, '--profile', 'profiles/cis-debian-12.yaml', '--controls', '5.4.2.4', '-f', 'json'], { limitMs: 40_000 });
  assertRun(run, { code: 0, limitMs: 40_000 }, 'audit 5.4.2.4');
  assert.ok(!run.stdout.includes(ROOT_HASH.slice(3)), 'the hash is in the report');
  const result = JSON.parse(run.stdout);
  const control = result.controls.find((c: { id: string }) => c.id === '5.4.2.4');
  assert.equal(control.status, 'pass');
  assert.equal(control.checks[0].evidence[0].found, 'root:$6$<redacted>:19000:0:99999:7:::');
});

test('^(a+)+$ over 60 MiB of matching lines: the audit finishes, and the check time budget still fires', { timeout: 90_000 }, async () => {
  const root = hostRoot('regex', bigMatchingFiles());
  const profile = path.join(work, 'regex.yaml');
  fs.writeFileSync(profile, REGEX_PROFILE('/big/*.txt'));
  const [whole, budget] = await Promise.all([
    runCli(['audit', '--root', root, '--profile', profile, '-f', 'json'], { limitMs: 60_000 }),
    runCli(['audit', '--root', root, '--profile', profile, '--check-timeout', '0.2', '-f', 'json'], { limitMs: 60_000 }),
  ]);
  assertRun(whole, { code: 1, limitMs: 45_000 }, 'audit with the catastrophic pattern');
  const status = (run: typeof whole, id: string) => JSON.parse(run.stdout).controls.find((c: { id: string }) => c.id === id);
  assert.equal(status(whole, 'catastrophic').status, 'fail', 'every line matches: the absent check fails');
  // a control in error does not fail the audit (exit 1 is for failed controls): exit 0
  assertRun(budget, { code: 0, limitMs: 45_000 }, 'audit with a 0.2 s check budget');
  assert.equal(status(budget, 'catastrophic').status, 'error');
  assert.match(status(budget, 'catastrophic').summary, /time budget/);
});

test('a FIFO at /etc/sudoers.d/evil does not hang the built-in CIS audit', { timeout: 60_000 }, async () => {
  const root = hostRoot('fifo', {
    'etc/sudoers': 'Defaults use_pty\nDefaults logfile="/var/log/sudo.log"\n',
    'etc/sudoers.d/evil': { fifo: true },
    'var/lib/dpkg/status': SUDO_STATUS,
  });
  const run = await runCli(['audit', '--root', root, '--profile', 'profiles/cis-debian-12.yaml', '--tags', 'sudo', '-f', 'json'], { limitMs: 40_000 });
  // the controls reading sudoers.d are in error (the FIFO is not read), none fails: exit 0
  assertRun(run, { code: 0, limitMs: 30_000 }, 'audit with a FIFO in sudoers.d');
  const result = JSON.parse(run.stdout);
  assert.ok(result.controls.length >= 3, `${result.controls.length} sudo controls`);
  assert.match(JSON.stringify(result.controls), /sudoers\.d\/evil: not a regular file \(a FIFO\)/, 'the FIFO is named as not read');
});

interface Agent { statusFile: string; events: () => Array<Record<string, any>>; stop(signal: NodeJS.Signals): Promise<{ code: number | null; ms: number; stderr: string }>; stderr: () => string }

function startAgent(name: string, root: string, profileText: string): Agent {
  const dir = path.join(work, `agent-${name}`);
  const profiles = path.join(dir, 'profiles');
  materialize(path.join(profiles, 'hostile.yaml'), profileText);
  const state = path.join(dir, 'state');
  const eventsFile = path.join(dir, 'events.jsonl');
  const config = path.join(dir, 'agent.yaml');
  fs.writeFileSync(config, `root: ${root}
state_dir: ${state}
profiles:
  sources: [{type: dir, path: ${profiles}}]
jobs:
  audit: {every: 1h, run_on_start: true, profiles: [hostile-regex]}
health: {interval: 1h}
shipping:
  sinks:
    local: {type: file, path: ${eventsFile}}
`);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'test/helpers/run-cli.ts'), 'agent', '-c', config, '--stop-grace', '10'], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    statusFile: path.join(state, 'status.json'),
    events: () => (fs.existsSync(eventsFile) ? fs.readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []),
    stderr: () => stderr,
    async stop(signal) {
      const sent = Date.now();
      child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(killer);
      return { code, ms: Date.now() - sent, stderr };
    },
  };
}


test('the agent: shipped audit events carry no hash; SIGTERM stops it in the middle of a catastrophic-pattern audit', { timeout: 120_000 }, async () => {
  const small = hostRoot('agent-small', { 'big/one.txt': 'a'.repeat(100_000) + '\n' });
  // few enough files that the agent's memory watchdog (200 MB) lets the audit run
  const large = hostRoot('agent-large', bigMatchingFiles(8));
  const shipping = startAgent('ship', small, REGEX_PROFILE('/big/*.txt'));
  // forty controls each running the pattern over all 16 MiB: an audit of several seconds
  const busyControls = Array.from({ length: 40 }, (_, i) => `  - id: catastrophic-${i}\n    title: copy ${i}\n    checks:\n      - {type: file_content, path: '/big/*.txt', pattern: '^(a+)+$', expect: absent}\n`).join('');
  const busy = startAgent('busy', large, REGEX_PROFILE('/big/*.txt') + busyControls);

  const summary = await waitFor('the audit summary event', () => shipping.events().find((e) => e.kind === 'audit' && e.data.action === 'summary'), { timeoutMs: 60_000, intervalMs: 200 });
  assert.ok(summary);
  const shipped = JSON.stringify(shipping.events());
  assert.ok(!shipped.includes(ROOT_HASH.slice(3)), 'the hash was shipped');
  const control = shipping.events().find((e) => e.kind === 'audit' && e.data.id === 'root-hash-shape')!;
  assert.match(JSON.stringify(control.data), /root:\$6\$<redacted>:19000/);
  const catastrophic = shipping.events().find((e) => e.kind === 'audit' && e.data.id === 'catastrophic')!;
  assert.equal(catastrophic.data.status, 'fail');

  // the busy agent is inside its audit when it is told to stop
  await waitFor('the busy agent to start its audit', () => busy.events().find((e) => e.kind === 'agent') ?? (fs.existsSync(busy.statusFile) ? true : undefined), { timeoutMs: 30_000, intervalMs: 200 });
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(busy.events().filter((e) => e.kind === 'audit').length, 0, 'the busy audit already finished: the stop would not be tested mid-audit');
  const [busyStop, shipStop] = await Promise.all([busy.stop('SIGTERM'), shipping.stop('SIGTERM')]);
  assert.match(busyStop.stderr, /SIGTERM/);
  assert.doesNotMatch(busyStop.stderr, /watchdog stopped job audit/, 'the audit was still running when SIGTERM came');
  for (const [what, s] of [['busy', busyStop], ['shipping', shipStop]] as const) {
    assert.equal(s.code, 0, `${what} agent: exit ${s.code}\n${s.stderr.slice(-2000)}`);
    assert.ok(s.ms < 15_000, `${what} agent: stopped ${s.ms} ms after SIGTERM`);
    assertNoStackTrace(s.stderr, `${what} agent`);
  }
});
