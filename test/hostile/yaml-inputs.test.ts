/**
 * Hostile YAML for every loader that reads it: profiles, their include targets, tailoring,
 * exceptions, packs, the agent configuration and its agent.d drop-ins, FIM settings. Each
 * family gets the variants of hostile-yaml.ts generated from a valid document. Every case is
 * loaded through the library entry point (fast: one process); the profile cases are also
 * validated by one `spyglass profiles validate` over all of them, and a few agent cases by
 * `spyglass config check`. For each: valid variants load, invalid ones give problems naming
 * the file (never an exception that is not a Spyglass error, never a stack trace), within a
 * time bound.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SpyglassError, formatError } from '../../src/core/errors.js';
import { loadProfile } from '../../src/audit/profile/load-profile.js';
import { loadTailoringFile } from '../../src/audit/tailoring/tailoring.js';
import { loadExceptionsFile } from '../../src/audit/profile/exceptions.js';
import { loadScheduleConfig } from '../../src/query/schedule/pack-config.js';
import { loadAgentConfig } from '../../src/agent/config/agent-config.js';
import { loadFimConfig } from '../../src/fim/config.js';
import { assertNoStackTrace, assertRun, materialize, runCli, tempDir, within } from './harness.js';
import { hostileYamlCases, type YamlCase } from './hostile-yaml.js';

const work = tempDir('yaml');
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** What a loader made of a file: loaded, or the problems it reported (formatted as printed). */
type Outcome = { ok: true } | { ok: false; messages: string[] };

interface Family {
  name: string;
  base: string;
  /** where the hostile file goes, inside the family's case directory */
  fileName: string;
  /** other files the case needs (a profile including the hostile library, a main config) */
  companions?: Record<string, string>;
  /** the file handed to the loader */
  entry?: string;
  load(file: string): Promise<Outcome>;
  /** variants that stay valid for this kind of file beyond those marked so, with why */
  alsoValid?: Record<string, string>;
}

const problems = (errors: readonly SpyglassError[]): Outcome => (errors.length ? { ok: false, messages: errors.map(formatError) } : { ok: true });

async function thrownAsOutcome(fn: () => Promise<unknown> | unknown): Promise<Outcome> {
  try {
    await fn();
    return { ok: true };
  } catch (err) {
    assert.ok(err instanceof SpyglassError, `not a Spyglass error: ${(err as Error)?.stack ?? err}`);
    return { ok: false, messages: [formatError(err)] };
  }
}

const PROFILE = `id: hostile-case
title: A profile for hostile input cases
version: "1"
controls:
  - id: ssh-root
    title: root cannot log in over SSH
    checks:
      - {type: file_content, path: /etc/ssh/sshd_config, pattern: '^PermitRootLogin\\s+no'}
  - id: motd
    title: a message of the day
    checks:
      - {type: file, path: /etc/motd, exists: true}
`;
const LIBRARY = `controls:
  - id: lib-one
    title: from the library
    checks:
      - {type: file, path: /etc/issue, exists: true}
`;

/** An agent configuration without settings means the defaults. */
const EMPTY_IS_DEFAULTS = Object.fromEntries(['empty file', 'only a comment', 'null document'].map((n) => [n, 'no settings: the defaults']));

const FAMILIES: Family[] = [
  {
    name: 'profile', base: PROFILE, fileName: 'profile.yaml',
    load: async (f) => problems((await loadProfile(f)).errors),
    alsoValid: { 'version as a number': 'a numeric version is read as a string', 'id as a number': 'a numeric id is read as a string' },
  },
  {
    name: 'include target', base: LIBRARY, fileName: 'lib.yaml',
    companions: { 'main.yaml': `${PROFILE}include:\n  - lib.yaml\n` }, entry: 'main.yaml',
    load: async (f) => problems((await loadProfile(f)).errors),
  },
  {
    name: 'tailoring', base: 'id: hostile-tailoring\nprofile: "cis-*"\nselect: ["5.1.*"]\nvalues:\n  ssh_max_auth_tries: 6\n', fileName: 'tailoring.yaml',
    load: async (f) => problems((await loadTailoringFile(f)).errors),
    alsoValid: { 'select as a list': 'numbers in select are read as control ids' },
  },
  {
    name: 'exceptions', base: 'exceptions:\n  - {control: "5.2.7", reason: break-glass host, expires: 2999-12-31}\n', fileName: 'exceptions.yaml',
    load: async (f) => problems((await loadExceptionsFile(f)).errors),
  },
  {
    name: 'pack', base: 'queries:\n  users:\n    query: SELECT username FROM users\n    interval: 3600\nplatform: linux\n', fileName: 'pack.yaml',
    load: (f) => thrownAsOutcome(() => {
      const config = loadScheduleConfig(f);
      if (config.problems.length) throw new SpyglassError('pack_invalid', config.problems.map(formatError).join('\n'));
    }),
    // osquery keeps a pack's unknown fields (oncall, value, ...) and ignores them: whatever
    // sits under an unknown key, if it parses, does not make the pack invalid
    alsoValid: Object.fromEntries(['unknown top-level key', 'deep block nesting', 'invalid UTF-8', 'terminal escapes in a key', 'one 2 MiB line',
      'js-yaml function tag', 'custom tag', 'binary tag', 'complex mapping key', 'huge number'].map((n) => [n, 'an unknown field, kept and ignored'])),
  },
  {
    name: 'agent config', base: 'state_dir: /var/lib/spyglass-hostile\nhealth:\n  interval: 60s\n', fileName: 'agent.yaml',
    load: (f) => thrownAsOutcome(() => loadAgentConfig(f)),
    alsoValid: EMPTY_IS_DEFAULTS,
  },
  {
    name: 'agent.d drop-in', base: 'health:\n  interval: 30s\n', fileName: 'agent.d/50-hostile.yaml',
    companions: { 'agent.yaml': 'state_dir: /var/lib/spyglass-hostile\n' }, entry: 'agent.yaml',
    load: (f) => thrownAsOutcome(() => loadAgentConfig(f)),
    alsoValid: EMPTY_IS_DEFAULTS,
  },
  {
    name: 'FIM config', base: 'watch:\n  - path: /etc\n    category: config\nexclude_regex: ["\\\\.swp$"]\n', fileName: 'fim.yaml',
    load: (f) => thrownAsOutcome(() => loadFimConfig(f)),
  },
];

interface Laid { family: Family; c: YamlCase; dir: string; file: string; entry: string }

function layOut(): Laid[] {
  const out: Laid[] = [];
  for (const family of FAMILIES) {
    hostileYamlCases(family.base).forEach((c, i) => {
      const dir = path.join(work, family.name.replace(/\W+/g, '-'), String(i));
      for (const [name, text] of Object.entries(family.companions ?? {})) materialize(path.join(dir, name), text);
      const file = path.join(dir, family.fileName);
      materialize(file, c.file);
      out.push({ family, c, dir, file, entry: path.join(dir, family.entry ?? family.fileName) });
    });
  }
  return out;
}

const laid = layOut();

test(`every loader survives ${laid.length} hostile YAML files: valid ones load, the rest are problems naming the file`, { timeout: 120_000 }, async () => {
  const summary = new Map<string, number>();
  const failures: string[] = [];
  for (const { family, c, file, entry } of laid) {
    const what = `${family.name} / ${c.name}`;
    const outcome = await within(10_000, what, () => family.load(entry));
    const valid = c.valid || family.alsoValid?.[c.name] !== undefined;
    if (valid && !outcome.ok) failures.push(`${what}: should load, got ${outcome.messages.join('\n')}`);
    if (!valid && outcome.ok) failures.push(`${what}: should be refused`);
    if (!outcome.ok) {
      const text = outcome.messages.join('\n');
      assertNoStackTrace(text, what);
      const named = path.relative(path.dirname(entry), file);
      if (!text.includes(file) && !text.includes(named)) failures.push(`${what}: the message does not name ${file}:\n${text}`);
    }
    summary.set(family.name, (summary.get(family.name) ?? 0) + 1);
  }
  assert.deepEqual(failures, []);
  assert.ok(laid.length >= 300, `${laid.length} cases`);
  for (const f of FAMILIES) assert.ok((summary.get(f.name) ?? 0) >= 40, `${f.name}: ${summary.get(f.name)} cases`);
});

test('spyglass profiles validate over every hostile profile at once: exit 2, each bad file named, no stack trace, bounded time', { timeout: 120_000 }, async () => {
  const profiles = laid.filter((l) => l.family.name === 'profile');
  const run = await runCli(['profiles', 'validate', ...profiles.map((l) => l.file)], { limitMs: 90_000 });
  assertRun(run, { code: 2, limitMs: 90_000 }, 'profiles validate');
  const output = run.stdout + run.stderr;
  for (const l of profiles) {
    const lines = output.split('\n').filter((line) => line.startsWith(`${l.file}:`));
    assert.ok(lines.length > 0, `${l.c.name}: ${l.file} not reported`);
    if (l.c.valid || l.family.alsoValid?.[l.c.name]) assert.match(lines.join('\n'), /: ok/, `${l.c.name}: valid`);
    else assert.doesNotMatch(lines.join('\n'), /: ok \(/, `${l.c.name}: reported valid`);
  }
});

test('spyglass config check: a FIFO drop-in, an alias bomb and an oversize drop-in are refused at once with the file named', { timeout: 60_000 }, async () => {
  const dropIns = laid.filter((l) => l.family.name === 'agent.d drop-in' && ['a FIFO', 'alias bomb', 'oversize (5 MiB of comments)'].includes(l.c.name));
  assert.equal(dropIns.length, 3);
  const runs = await Promise.all(dropIns.map((l) => runCli(['config', 'check', '-c', l.entry], { limitMs: 30_000 })));
  runs.forEach((run, i) => {
    assertRun(run, { code: 2, limitMs: 30_000 }, `config check / ${dropIns[i]!.c.name}`);
    assert.ok((run.stdout + run.stderr).includes(dropIns[i]!.file), `${dropIns[i]!.c.name}: names the drop-in`);
  });
});
