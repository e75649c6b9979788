import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, symlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ProfileStore } from '../profile-store.js';
import { generateKeyPair, loadTrustAnchors } from '../signing.js';
import { signProfileDirectory } from '../verify-directory.js';
import { HttpsBundleSource } from './https-bundle-source.js';

const tmp = (p: string) => mkdtempSync(path.join(os.tmpdir(), `spyglass-${p}-`));
const pki = tmp('bundle-pki');
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-subj', '/CN=127.0.0.1', '-days', '2', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: pki, stdio: 'ignore' });

/** An HTTPS server on loopback serving one bundle with an ETag, answering 304 to a matching If-None-Match. */
let bundle: Buffer = Buffer.alloc(0);
let etag = '"v0"';
let status = 200;
const seen: Array<string | undefined> = [];
const server = https.createServer({ key: readFileSync(path.join(pki, 'key.pem')), cert: readFileSync(path.join(pki, 'cert.pem')) }, (req, res) => {
  seen.push(req.headers['if-none-match'] as string | undefined);
  if (status !== 200) { res.writeHead(status).end('broken'); return; }
  if (req.headers['if-none-match'] === etag) { res.writeHead(304).end(); return; }
  res.writeHead(200, { etag, 'content-type': 'application/gzip' }).end(bundle);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/profiles.tar.gz`;
after(() => server.close());

const keys = generateKeyPair('ed25519');

/** A signed set tarred with the system's tar, as a team's CI would publish it. */
async function publish(files: Record<string, string>, tarArgs: string[] = []): Promise<void> {
  const dir = tmp('bundle-src');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  await signProfileDirectory(dir, keys.privateKeyPem);
  const out = path.join(tmp('bundle-out'), 'b.tar.gz');
  execFileSync('tar', ['-czf', out, '-C', dir, ...tarArgs, '.']);
  bundle = readFileSync(out);
  etag = `"${Date.now()}-${Math.random()}"`;
  rmSync(dir, { recursive: true, force: true });
}

test('HTTPS bundle: fetched, verified and applied; an unchanged bundle costs a 304; a change applies', async () => {
  await publish({ 'debian-12.yaml': 'one\n', 'packs/a.json': '{}\n' });
  const state = tmp('bundle-state');
  const store = new ProfileStore({ stateDir: state, trust: loadTrustAnchors([keys.publicKeyPem]) });
  const source = new HttpsBundleSource({ url, cacheDir: path.join(state, 'bundle'), tls: { ca_file: path.join(pki, 'cert.pem') } });
  const first = await store.update(source);
  assert.equal(first.status, 'updated', first.problems.map((p) => p.message).join('; '));
  assert.equal(readFileSync(path.join((await store.activeDir())!, 'debian-12.yaml'), 'utf8'), 'one\n');

  seen.length = 0;
  assert.equal((await store.update(source)).status, 'unchanged');
  assert.deepEqual(seen, [etag], 'the second pull sent the ETag and got a 304');

  await publish({ 'debian-12.yaml': 'two\n' });
  assert.equal((await store.update(source)).status, 'updated');
  assert.equal(readFileSync(path.join((await store.activeDir())!, 'debian-12.yaml'), 'utf8'), 'two\n');
});

test('HTTPS bundle: entries that leave the directory, links, server errors and untrusted certificates are refused', async () => {
  const state = tmp('bundle-state');
  const store = new ProfileStore({ stateDir: state });
  const source = new HttpsBundleSource({ url, cacheDir: path.join(state, 'bundle'), tls: { ca_file: path.join(pki, 'cert.pem') } });

  await publish({ 'x.yaml': 'x\n' }, ['--transform', 's,^\\./x\\.yaml,../escape.yaml,']);
  const escape = await store.update(source);
  assert.equal(escape.status, 'rejected');
  assert.equal(escape.problems[0]!.code, 'bundle_unsafe');
  assert.match(escape.problems[0]!.message, /escape\.yaml/);

  const withLink = tmp('bundle-link');
  writeFileSync(path.join(withLink, 'a.yaml'), 'a\n');
  symlinkSync('/etc/shadow', path.join(withLink, 'shadow.yaml'));
  const out = path.join(withLink, '..', `l-${process.pid}.tar.gz`);
  execFileSync('tar', ['-czf', out, '-C', withLink, '.']);
  bundle = readFileSync(out);
  etag = '"link"';
  const link = await store.update(source);
  assert.equal(link.problems[0]!.code, 'bundle_unsafe');
  assert.match(link.problems[0]!.message, /not a regular file/);

  status = 500;
  try {
    const broken = await store.update(source);
    assert.equal(broken.problems[0]!.code, 'bundle_fetch_failed');
    assert.match(broken.problems[0]!.message, /HTTP 500/);
  } finally {
    status = 200;
  }

  const noCa = await store.update(new HttpsBundleSource({ url, cacheDir: path.join(state, 'other') }));
  assert.equal(noCa.problems[0]!.code, 'bundle_fetch_failed', 'a self-signed server is not trusted without the CA file');
  assert.equal(await store.activeDir(), undefined, 'nothing was ever applied');
  assert.throws(() => new HttpsBundleSource({ url: url.replace('https', 'http'), cacheDir: state }), /must be https/);
});
