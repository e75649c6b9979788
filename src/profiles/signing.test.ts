import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { generateKeyPair, loadTrustAnchors } from './signing.js';
import { signProfileDirectory, verifyProfileDirectory } from './verify-directory.js';

async function profileDir(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spyglass-sign-'));
  await fsp.mkdir(path.join(dir, 'packs'));
  await fsp.writeFile(path.join(dir, 'debian-12.yaml'), 'profile:\n  id: x\n');
  await fsp.writeFile(path.join(dir, 'packs', 'it.json'), '{"queries":{}}\n');
  return dir;
}

for (const algorithm of ['ed25519', 'rsa-pss-sha256'] as const) {
  test(`${algorithm}: a signed directory verifies, file by file`, async () => {
    const dir = await profileDir();
    const keys = generateKeyPair(algorithm);
    assert.equal(await signProfileDirectory(dir, keys.privateKeyPem), 2);
    const result = await verifyProfileDirectory(dir, loadTrustAnchors([keys.publicKeyPem]));
    assert.deepEqual(result.problems.map((p) => p.message), []);
    assert.deepEqual(result.verifiedFiles, ['debian-12.yaml', 'packs/it.json']);
    assert.equal(result.ok, true);
  });
}

test('a file changed after signing is named, the others still verify', async () => {
  const dir = await profileDir();
  const keys = generateKeyPair('ed25519');
  await signProfileDirectory(dir, keys.privateKeyPem);
  await fsp.appendFile(path.join(dir, 'packs', 'it.json'), ' ');
  const result = await verifyProfileDirectory(dir, loadTrustAnchors([keys.publicKeyPem]));
  assert.equal(result.ok, false);
  assert.deepEqual(result.problems.map((p) => [p.code, p.context.file]), [['digest_mismatch', 'packs/it.json']]);
  assert.deepEqual(result.verifiedFiles, ['debian-12.yaml']);
});

test('a file added after signing and a deleted file are both refused', async () => {
  const dir = await profileDir();
  const keys = generateKeyPair('ed25519');
  await signProfileDirectory(dir, keys.privateKeyPem);
  await fsp.writeFile(path.join(dir, 'evil.yaml'), 'controls: []\n');
  await fsp.rm(path.join(dir, 'debian-12.yaml'));
  const result = await verifyProfileDirectory(dir, loadTrustAnchors([keys.publicKeyPem]));
  assert.deepEqual(result.problems.map((p) => [p.code, p.context.file]).sort(), [['file_missing', 'debian-12.yaml'], ['unlisted_file', 'evil.yaml']]);
});

test('a MANIFEST edited to match a tampered file fails the signature, and nothing verifies', async () => {
  const dir = await profileDir();
  const keys = generateKeyPair('ed25519');
  await signProfileDirectory(dir, keys.privateKeyPem);
  const attacker = generateKeyPair('ed25519');
  await fsp.writeFile(path.join(dir, 'debian-12.yaml'), 'profile:\n  id: evil\n');
  await signProfileDirectory(dir, attacker.privateKeyPem); // re-signed with a key nobody trusts
  const result = await verifyProfileDirectory(dir, loadTrustAnchors([keys.publicKeyPem]));
  assert.equal(result.ok, false);
  assert.equal(result.problems[0]!.code, 'signature_invalid');
  assert.deepEqual(result.verifiedFiles, []);
});

test('an unsigned directory is refused', async () => {
  const dir = await profileDir();
  const result = await verifyProfileDirectory(dir, loadTrustAnchors([generateKeyPair('ed25519').publicKeyPem]));
  assert.equal(result.problems[0]!.code, 'manifest_missing');
});

test('RSA-PSS with an X.509 chain (leaf ← intermediate ← trusted root), made by openssl', async () => {
  const pki = mkdtempSync(path.join(os.tmpdir(), 'spyglass-pki-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: pki, stdio: 'pipe' });
  await fsp.writeFile(path.join(pki, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
  await fsp.writeFile(path.join(pki, 'leaf.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n');
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-subj', '/CN=Spyglass Test Root', '-days', '2', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/CN=Spyglass Test Intermediate');
  run('x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'int.pem', '-days', '2', '-extfile', 'ca.ext');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=Profile Signer');
  run('x509', '-req', '-in', 'leaf.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '2', '-extfile', 'leaf.ext');
  const read = (f: string) => fsp.readFile(path.join(pki, f), 'utf8');
  const dir = await profileDir();
  await signProfileDirectory(dir, await read('leaf.key'), [await read('leaf.pem'), await read('int.pem')]);

  const trusted = await verifyProfileDirectory(dir, loadTrustAnchors([await read('root.pem')]));
  assert.deepEqual(trusted.problems.map((p) => p.message), []);

  // Another root: the same chain is not trusted.
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.pem', '-subj', '/CN=Other Root', '-days', '2', '-addext', 'basicConstraints=critical,CA:TRUE');
  const untrusted = await verifyProfileDirectory(dir, loadTrustAnchors([await read('other.pem')]));
  assert.equal(untrusted.problems[0]!.code, 'certificate_untrusted');
  assert.match(untrusted.problems[0]!.message, /trusted root/);
});
