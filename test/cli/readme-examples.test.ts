/**
 * The README works as written: every command of its ```sh blocks is run, in order, in a fresh
 * temporary directory, with the CLI from source standing in for the installed `spyglass`.
 * A command is changed only where running it as written would reach outside the test (each
 * change says why), and a few are skipped, each with the reason; a command the lists below do
 * not know is run as written, so a new README example is tested the day it is added.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFixtureRoot, type FixtureRoot } from '../helpers/fixture-root.js';
import { hardenedTree } from '../audit/debian-12-fixtures.js';
import { REPO, RUN_CLI, TSX_LOADER } from './spyglass-process.js';

const README = readFileSync(path.join(REPO, 'README.md'), 'utf8');

interface ReadmeCommand {
  /** README line of the command's first line */
  line: number;
  /** the command as written (a here-document included) */
  text: string;
}

/** The commands of the README's ```sh blocks; a here-document stays with its command. */
function readmeCommands(markdown: string): ReadmeCommand[] {
  const lines = markdown.split('\n');
  const out: ReadmeCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```sh') continue;
    for (i++; i < lines.length && lines[i] !== '```'; i++) {
      if (!lines[i]!.trim()) continue;
      const start = i;
      const heredoc = /<<'?(\w+)'?/.exec(lines[i]!)?.[1];
      if (heredoc) while (i + 1 < lines.length && lines[i] !== heredoc) i++;
      out.push({ line: start + 1, text: lines.slice(start, i + 1).join('\n') });
    }
  }
  return out;
}

/** Commands not run, and why (each must still be in the README: a stale entry fails the test). */
const SKIPPED: ReadonlyArray<{ match: RegExp; why: string }> = [
  { match: /^npm ci /, why: 'installs from the npm registry; the test runs in the installed checkout' },
  { match: /^bash \.ci\/setup /, why: 'installs Debian packages and runs the whole suite, this test included' },
  { match: /^npm run package/, why: 'builds the .deb and tarball with their own Node.js (minutes; test/packaging covers it)' },
  { match: /^dpkg -i /, why: 'installs the package on the machine running the tests' },
  { match: /^systemctl /, why: 'needs the package installed and systemd running' },
  { match: /^spyglass config check/, why: 'reads /etc/spyglass/agent.yaml, which the package installs (test/agent/config-check.test.ts runs it on the README configuration)' },
  { match: /^spyglass status/, why: 'reads the status of an agent the package runs' },
  { match: /^spyglass fim watch/, why: 'runs until a signal (test/fim runs it)' },
  { match: /^curl /, why: 'downloads from the network' },
  { match: /^spyglass vuln /, why: 'needs the feed files a team mirrors (/srv/feeds; test/vuln builds feeds and runs these)' },
];

let fixture: FixtureRoot;
let dir: string;

before(async () => {
  fixture = await buildFixtureRoot({ ...hardenedTree(), '/usr/bin/true': 'not really a program\n', '/root/.ssh/authorized_keys': 'ssh-ed25519 AAAA test\n' });
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spyglass-readme-'));
  // files the README's commands name without making them
  const profile = /```yaml\n(# yaml-language-server[^\n]*\nid: acme-baseline\n[\s\S]*?)```/.exec(README)?.[1];
  assert.ok(profile, 'the README has its profile example');
  await fsp.writeFile(path.join(dir, 'my.yaml'), profile);
  await fsp.writeFile(path.join(dir, 'other.yaml'), profile.replace('id: acme-baseline', 'id: acme-other'));
  await fsp.writeFile(path.join(dir, 'exceptions.yaml'), 'exceptions:\n  - { control: 5.2.7, reason: break-glass bastion, expires: 2999-03-31 }\n');
  await fsp.copyFile(path.join(REPO, 'packs/host-inventory.json'), path.join(dir, 'pack.conf'));
});

after(async () => {
  await fixture?.cleanup();
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
});

/** What the test changes in a command before running it, and why. */
function adapted(text: string): string {
  let cmd = text
    .replace(/^npx spyglass /, 'spyglass ')
    // system directories of the installed package: inside the temporary directory instead
    .replaceAll('/etc/spyglass', `${dir}/etc/spyglass`)
    .replaceAll('/var/lib/spyglass', `${dir}/var/lib/spyglass`)
    .replaceAll('/mnt/image', fixture.dir);
  const [first, ...heredoc] = cmd.split('\n');
  cmd = first!;
  // audits and scans of "this host" would depend on the machine running the tests and walk its
  // whole filesystem: they read the Debian 12 fixture root instead
  if (/^spyglass (audit|fim (baseline|check))\b/.test(cmd) && !/--root\b/.test(cmd)) cmd = cmd.replace(/^(spyglass [a-z]+( [a-z]+)?)/, `$1 --root ${fixture.dir}`);
  // the FIM baseline's default place is /var/lib/spyglass/fim, outside the test
  if (/^spyglass fim (baseline|check)\b/.test(cmd)) cmd = cmd.replace(/^(spyglass fim [a-z]+)/, `$1 --baseline ${dir}/var/lib/spyglass/fim/baseline.db`);
  return [cmd, ...heredoc].join('\n');
}

test('every command of the README runs as written (or is skipped with a reason)', () => {
  const commands = readmeCommands(README);
  assert.ok(commands.length > 20, `${commands.length} commands found`);
  const usedSkips = new Set<RegExp>();
  const failures: string[] = [];
  for (const c of commands) {
    const skip = SKIPPED.find((s) => s.match.test(c.text.replace(/^npx /, '')));
    if (skip) {
      usedSkips.add(skip.match);
      continue;
    }
    const script = `set -e -o pipefail\nspyglass() { ${JSON.stringify(process.execPath)} --import ${JSON.stringify(TSX_LOADER)} ${JSON.stringify(RUN_CLI)} "$@"; }\n${adapted(c.text)}\n`;
    const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', input: '', timeout: 300_000, env: { ...process.env, NO_COLOR: '' } });
    // 1 is "found something" (a failed control, a changed file) only for the commands that look for it
    const finds = /^(npx )?spyglass (audit|fim check|vuln)\b/.test(c.text);
    if (r.status !== 0 && !(finds && r.status === 1)) failures.push(`README.md:${c.line}: ${c.text.split('\n')[0]}\n  exit ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join('\n  ')}`);
  }
  assert.deepEqual(failures, [], failures.join('\n'));
  const stale = SKIPPED.filter((s) => !usedSkips.has(s.match)).map((s) => String(s.match));
  assert.deepEqual(stale, [], 'skip entries for commands no longer in the README');
  // what the commands were for
  assert.ok(existsSync(path.join(dir, 'report.html')), 'audit --output report.html wrote it');
  assert.ok(existsSync(path.join(dir, 'etc/spyglass/fim.yaml')), 'the FIM example made its configuration');
  assert.ok(existsSync(path.join(dir, 'var/lib/spyglass/fim/baseline.db')), 'fim baseline recorded');
});
