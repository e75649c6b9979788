import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPair, loadTrustAnchors } from './signing.js';
import { signProfileDirectory } from './verify-directory.js';
import { ProfileStore } from './profile-store.js';
import { GitSource } from './sources/git-source.js';
import { DirectorySource } from './sources/directory-source.js';
import { SpyglassError } from '../core/errors.js';
import { waitForPort } from '../../test/helpers/waiting.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'spyglass-store-'));
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd, stdio: 'pipe' }).toString().trim();

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}


const daemons: ChildProcess[] = [];
after(() => { for (const d of daemons) d.kill('SIGTERM'); });

/** A work repository, a bare repository served by a real `git daemon` on loopback, and a key. */
async function servedRepo() {
  const base = tmp();
  const work = path.join(base, 'work');
  const served = path.join(base, 'served');
  await fsp.mkdir(work);
  await fsp.mkdir(served);
  git(work, 'init', '--quiet');
  const keys = generateKeyPair('ed25519');
  const port = await freePort();
  const daemon = spawn('git', ['daemon', '--reuseaddr', '--export-all', `--base-path=${served}`, '--listen=127.0.0.1', `--port=${port}`, served], { stdio: 'ignore' });
  daemons.push(daemon);
  const publish = async (files: Record<string, string>, sign = true) => {
    for (const [name, content] of Object.entries(files)) {
      await fsp.mkdir(path.dirname(path.join(work, name)), { recursive: true });
      await fsp.writeFile(path.join(work, name), content);
    }
    if (sign) await signProfileDirectory(work, keys.privateKeyPem);
    git(work, 'add', '-A');
    git(work, 'commit', '--quiet', '-m', 'update');
    await fsp.rm(path.join(served, 'profiles.git'), { recursive: true, force: true });
    git(base, 'clone', '--bare', '--quiet', work, path.join(served, 'profiles.git'));
    return git(work, 'rev-parse', 'HEAD');
  };
  await waitForPort(port, 'git daemon');
  return { base, work, keys, url: `git://127.0.0.1:${port}/profiles.git`, publish };
}

test('git source over git daemon: signed updates apply, tampering and bad signatures keep the last good set', async () => {
  const repo = await servedRepo();
  const first = await repo.publish({ 'debian-12.yaml': 'profile: {id: one}\n' });
  const state = tmp();
  const store = new ProfileStore({ stateDir: state, trust: loadTrustAnchors([repo.keys.publicKeyPem]) });
  const source = new GitSource({ url: repo.url, ref: 'main', cacheDir: path.join(state, 'git') });

  const r1 = await store.update(source);
  assert.equal(r1.status, 'updated', JSON.stringify(r1.problems.map((p) => p.message)));
  assert.equal(r1.activeVersion, first);
  assert.equal(await fsp.readFile(path.join((await store.activeDir())!, 'debian-12.yaml'), 'utf8'), 'profile: {id: one}\n');

  assert.equal((await store.update(source)).status, 'unchanged');

  // A file changed without re-signing: rejected, naming the file; the active set stays.
  const tampered = await repo.publish({ 'debian-12.yaml': 'profile: {id: evil}\n' }, false);
  const r2 = await store.update(source);
  assert.equal(r2.status, 'rejected');
  assert.equal(r2.offeredVersion, tampered);
  assert.equal(r2.activeVersion, first);
  assert.deepEqual(r2.problems.map((p) => [p.code, p.context.file]), [['digest_mismatch', 'debian-12.yaml']]);
  assert.equal(await fsp.readFile(path.join((await store.activeDir())!, 'debian-12.yaml'), 'utf8'), 'profile: {id: one}\n');

  // A MANIFEST re-signed by a key the agent does not trust: rejected.
  const attacker = generateKeyPair('ed25519');
  await signProfileDirectory(repo.work, attacker.privateKeyPem);
  git(repo.work, 'commit', '--quiet', '-am', 'resign');
  await fsp.rm(path.join(repo.base, 'served', 'profiles.git'), { recursive: true });
  git(repo.base, 'clone', '--bare', '--quiet', repo.work, path.join(repo.base, 'served', 'profiles.git'));
  const r3 = await store.update(source);
  assert.equal(r3.status, 'rejected');
  assert.equal(r3.problems[0]!.code, 'signature_invalid');
  assert.equal(await store.activeVersion(), first);

  // A good signed update applies.
  const second = await repo.publish({ 'debian-12.yaml': 'profile: {id: two}\n', 'packs/extra.json': '{}\n' });
  const r4 = await store.update(source);
  assert.equal(r4.status, 'updated');
  assert.equal(await store.activeVersion(), second);
  assert.ok((await fsp.readdir(path.join((await store.activeDir())!, 'packs'))).includes('extra.json'));
});

test('git source pins a tag and a commit id', async () => {
  const repo = await servedRepo();
  const v1 = await repo.publish({ 'a.yaml': 'v: 1\n' });
  git(repo.work, 'tag', 'v1');
  await repo.publish({ 'a.yaml': 'v: 2\n' });
  const state = tmp();
  const byTag = await new ProfileStore({ stateDir: path.join(state, 't') }).update(new GitSource({ url: repo.url, ref: 'v1', cacheDir: path.join(state, 'gt') }));
  assert.equal(byTag.activeVersion, v1);
  const byCommit = await new ProfileStore({ stateDir: path.join(state, 'c') }).update(new GitSource({ url: repo.url, ref: v1, cacheDir: path.join(state, 'gc') }));
  assert.equal(byCommit.activeVersion, v1);
});

test('an unreachable repository is a rejected update with the reason, not a crash', async () => {
  const state = tmp();
  const store = new ProfileStore({ stateDir: state });
  const result = await store.update(new GitSource({ url: `git://127.0.0.1:${await freePort()}/nothing.git`, cacheDir: path.join(state, 'g'), timeoutMs: 10_000 }));
  assert.equal(result.status, 'rejected');
  assert.equal(result.problems[0]!.code, 'git_failed');
  assert.equal(await store.activeDir(), undefined);
});

test('directory source with content validation: an invalid set is rejected, a valid one applied', async () => {
  const src = tmp();
  await fsp.writeFile(path.join(src, 'p.yaml'), 'bad');
  const state = tmp();
  const store = new ProfileStore({
    stateDir: state,
    validate: async (dir) => {
      const text = await fsp.readFile(path.join(dir, 'p.yaml'), 'utf8');
      return text === 'good' ? [] : [new SpyglassError('profile_invalid', 'not good', { file: 'p.yaml', line: 1 })];
    },
  });
  const rejected = await store.update(new DirectorySource(src));
  assert.equal(rejected.status, 'rejected');
  assert.equal(rejected.problems[0]!.context.file, 'p.yaml');
  await fsp.writeFile(path.join(src, 'p.yaml'), 'good');
  assert.equal((await store.update(new DirectorySource(src))).status, 'updated');
  assert.equal(await fsp.readFile(path.join((await store.activeDir())!, 'p.yaml'), 'utf8'), 'good');
});

test('turning signatures on re-verifies the set accepted while they were off (same version is not "unchanged")', async () => {
  const state = tmp();
  const dir = tmp();
  await fsp.writeFile(path.join(dir, 'p.yaml'), 'controls: []\n');
  const keys = generateKeyPair('ed25519');
  const trust = loadTrustAnchors([keys.publicKeyPem]);
  const source = new DirectorySource(dir);

  const open = new ProfileStore({ stateDir: state });
  const first = await open.update(source);
  assert.equal(first.status, 'updated');

  // A restart with signatures required: the active set is taken out of use before any pull.
  const strict = new ProfileStore({ stateDir: state, trust });
  const problems = await strict.verifyActive();
  assert.equal(problems[0]?.code, 'manifest_missing');
  assert.equal(await strict.activeDir(), undefined);
  // The source still offers the same unsigned set: rejected, nothing active.
  const offered = await strict.update(source);
  assert.equal(offered.status, 'rejected');
  assert.equal(offered.activeVersion, undefined);

  // Accepted again unsigned, then a reload that requires signatures pulls the same version.
  assert.equal((await open.update(source)).status, 'updated');
  const reloaded = await new ProfileStore({ stateDir: state, trust }).update(source);
  assert.equal(reloaded.status, 'rejected');
  assert.match(reloaded.problems.map((p) => p.message).join('\n'), /unsigned profile set/);
  assert.equal(await strict.activeDir(), undefined);

  // Signed by the trusted key: the same content (same version) is activated.
  await signProfileDirectory(dir, keys.privateKeyPem);
  const signedStore = new ProfileStore({ stateDir: state, trust });
  const signed = await signedStore.update(source);
  assert.equal(signed.status, 'updated', signed.problems.map((p) => p.message).join('; '));
  assert.equal((await signedStore.update(source)).status, 'unchanged');
  assert.deepEqual(await new ProfileStore({ stateDir: state, trust }).verifyActive(), []);
  await fsp.rm(state, { recursive: true, force: true });
  await fsp.rm(dir, { recursive: true, force: true });
});
