/**
 * The three ways a profile source could reach past what it is trusted with: a git ref or url
 * that git reads as an option (command execution), a subdir that leaves the checkout (moving a
 * host directory into the state directory), and an include that leaves a signed set (content
 * nobody signed). Each is tried for real: a real repository and git, real files and links.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GitSource } from '../../src/profiles/sources/git-source.js';
import { ProfileStore } from '../../src/profiles/profile-store.js';
import { generateKeyPair, loadTrustAnchors } from '../../src/profiles/signing.js';
import { signProfileDirectory } from '../../src/profiles/verify-directory.js';
import { DirectorySource } from '../../src/profiles/sources/directory-source.js';
import { loadTargetedProfiles } from '../../src/agent/jobs/audit-job.js';
import { loadProfile } from '../../src/audit/profile/load-profile.js';
import type { AgentContext } from '../../src/agent/agent-context.js';
import { SpyglassError } from '../../src/core/errors.js';

const tmp = (tag: string) => mkdtempSync(path.join(os.tmpdir(), `spyglass-hostile-${tag}-`));
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/run-cli.ts'), ...args], { encoding: 'utf8', timeout: 60_000 });
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd, stdio: 'pipe' }).toString().trim();

const PROFILE = (id: string, include?: string) => `id: ${id}
title: ${id}
version: 1.0.0
${include ? `include: [${JSON.stringify(include)}]\n` : ''}controls:
  - id: "1.1"
    title: a control
    checks: [{ type: file, path: /etc/hostname, exists: true }]
`;
const LIBRARY = `controls:
  - id: "9.9"
    title: from a library
    checks: [{ type: file, path: /etc/hostname, exists: true }]
`;

async function repository(files: Record<string, string>, links: Record<string, string> = {}): Promise<string> {
  const work = tmp('repo');
  git(work, 'init', '--quiet');
  for (const [name, content] of Object.entries(files)) {
    await fsp.mkdir(path.dirname(path.join(work, name)), { recursive: true });
    await fsp.writeFile(path.join(work, name), content);
  }
  for (const [name, target] of Object.entries(links)) await fsp.symlink(target, path.join(work, name));
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', 'profiles');
  return work;
}

test('a git ref or url that git would read as an option is refused by config check and by the source; nothing runs', async () => {
  const dir = tmp('ref');
  const marker = path.join(dir, 'pwned');
  const repo = await repository({ 'p.yaml': PROFILE('p') });
  const attempts = [
    { url: repo, ref: `--upload-pack=touch ${marker};#` },
    { url: `--upload-pack=touch ${marker};#`, ref: 'main' },
    { url: `ext::sh -c touch% ${marker}`, ref: 'main' },
  ];
  for (const [i, a] of attempts.entries()) {
    const config = path.join(dir, `agent-${i}.yaml`);
    await fsp.writeFile(config, `state_dir: ${dir}/state\nprofiles:\n  sources:\n    - type: git\n      url: ${JSON.stringify(a.url)}\n      ref: ${JSON.stringify(a.ref)}\n`);
    const check = cli('config', 'check', '-c', config);
    assert.equal(check.status, 2, `config check refuses attempt ${i}: ${check.stdout}${check.stderr}`);
    assert.match(check.stderr, new RegExp(`agent-${i}\\.yaml:\\d+:\\d+`), 'the problem is given with file:line:column');
    assert.doesNotMatch(check.stderr, /\n\s+at /, 'no stack trace');
    assert.throws(() => new GitSource({ ...a, cacheDir: path.join(dir, `cache-${i}`) }), (e: unknown) => e instanceof SpyglassError && e.code === 'config_invalid');
  }
  assert.equal(existsSync(marker), false, 'no command ran');
  // Even a url git would accept through a remote helper is blocked at git's level too.
  const store = new ProfileStore({ stateDir: path.join(dir, 'state') });
  const source = new GitSource({ url: repo, ref: 'main', cacheDir: path.join(dir, 'cache-ok') });
  assert.equal((await store.update(source)).status, 'updated', 'a plain local repository and branch still work');
});

test('a git subdir must stay inside the checkout: "..", a link out of it and a missing subdir are rejected with a message', async () => {
  const dir = tmp('subdir');
  const outside = path.join(dir, 'host-dir');
  await fsp.mkdir(outside);
  await fsp.writeFile(path.join(outside, 'precious'), 'host data\n');
  const repo = await repository({ 'profiles/p.yaml': PROFILE('p') }, { escape: outside });
  assert.throws(() => new GitSource({ url: repo, ref: 'main', subdir: '../../..', cacheDir: path.join(dir, 'c0') }), /cannot contain "\.\."/);

  const store = new ProfileStore({ stateDir: path.join(dir, 'state') });
  const viaLink = await store.update(new GitSource({ url: repo, ref: 'main', subdir: 'escape', cacheDir: path.join(dir, 'c1') }));
  assert.equal(viaLink.status, 'rejected');
  assert.equal(viaLink.problems[0]!.code, 'subdir_outside');
  assert.equal(await fsp.readFile(path.join(outside, 'precious'), 'utf8'), 'host data\n', 'the host directory is where it was');
  assert.equal(await store.activeDir(), undefined);

  const missing = await store.update(new GitSource({ url: repo, ref: 'main', subdir: 'nope', cacheDir: path.join(dir, 'c2') }));
  assert.equal(missing.status, 'rejected');
  assert.equal(missing.problems[0]!.code, 'subdir_missing');
  assert.match(missing.problems[0]!.message, /subdir "nope" is not in the repository/);

  const good = await store.update(new GitSource({ url: repo, ref: 'main', subdir: 'profiles', cacheDir: path.join(dir, 'c3') }));
  assert.equal(good.status, 'updated');
  assert.ok(existsSync(path.join((await store.activeDir())!, 'p.yaml')));
});

test('an include that leaves a signed set is refused even though the signature verifies', async () => {
  const dir = tmp('include');
  const outsideLib = path.join(dir, 'outside-lib.yaml');
  await fsp.writeFile(outsideLib, LIBRARY);
  const set = path.join(dir, 'set');
  await fsp.mkdir(path.join(set, 'lib'), { recursive: true });
  await fsp.writeFile(path.join(set, 'absolute.yaml'), PROFILE('absolute', outsideLib));
  await fsp.writeFile(path.join(set, 'climbing.yaml'), PROFILE('climbing', '../outside-lib.yaml'));
  await fsp.writeFile(path.join(set, 'inside.yaml'), PROFILE('inside', 'lib/own.yaml'));
  await fsp.writeFile(path.join(set, 'lib', 'own.yaml'), LIBRARY);
  const keys = generateKeyPair('ed25519');
  await signProfileDirectory(set, keys.privateKeyPem);

  const store = new ProfileStore({ stateDir: path.join(dir, 'state'), trust: loadTrustAnchors([keys.publicKeyPem]) });
  assert.equal((await store.update(new DirectorySource(set))).status, 'updated', 'the signature itself verifies');
  await fsp.appendFile(outsideLib, '# changed after signing\n');

  const reported: string[] = [];
  const ctx = {
    config: { profiles: { targeting: [] } },
    host: { id: 'h', osId: 'debian', osVersion: '12', hostname: 'h', tags: {} },
    profileDir: async () => (await store.activeDir())!,
    reportError: (message: string) => reported.push(message),
  } as unknown as AgentContext;
  const loaded = await loadTargetedProfiles(ctx, undefined);
  assert.deepEqual(loaded.map((p) => p.id), ['inside'], 'only the profile whose include stays in the set loads');
  assert.equal(loaded[0]!.controls.length, 2);
  assert.equal(reported.filter((m) => /include_outside_set|may only include its own files/.test(m)).length, 2, reported.join('\n'));
  assert.ok(reported.some((m) => m.includes('absolute.yaml')) && reported.some((m) => m.includes('climbing.yaml')));

  // A link inside the set that points out of it is refused the same way (unsigned sets too).
  const linked = path.join(dir, 'linked');
  await fsp.mkdir(linked);
  await fsp.writeFile(path.join(linked, 'p.yaml'), PROFILE('p', 'lib.yaml'));
  await fsp.symlink(outsideLib, path.join(linked, 'lib.yaml'));
  const viaLink = await loadProfile(path.join(linked, 'p.yaml'), { confineTo: linked });
  assert.equal(viaLink.profile, undefined);
  assert.equal(viaLink.errors[0]!.code, 'include_outside_set');
  assert.match(viaLink.errors[0]!.message, /links out of/);
  // Without confinement (a user's own files on the command line) the same include loads.
  assert.ok((await loadProfile(path.join(linked, 'p.yaml'))).profile);
});
