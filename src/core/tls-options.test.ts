/**
 * ca_file ADDS to the system CA store (Node and undici take `ca` as the whole store), against a
 * loopback HTTPS server whose certificate a private, self-signed CA issued.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { Redactor } from './secret.js';
import { TlsSchema, buildTlsOptions } from './tls-options.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-core-tls-'));
const f = (n: string) => path.join(dir, n);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=Spyglass Private CA');
openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1');
fs.writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
openssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '1', '-extfile', f('san.ext'));
const server = https.createServer({ key: fs.readFileSync(f('server.key')), cert: fs.readFileSync(f('server.pem')) }, (_req, res) => res.end('ok'));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
after(() => { server.close(); fs.rmSync(dir, { recursive: true, force: true }); });

async function get(connect: tls.ConnectionOptions): Promise<string> {
  const dispatcher = new Agent({ connect });
  try {
    const res = await request(url, { dispatcher });
    return await res.body.text();
  } finally { await dispatcher.close(); }
}

test('ca_file is added to the system roots; system_roots: false trusts only the file; without it the private CA is refused', async () => {
  const added = buildTlsOptions(TlsSchema.parse({ ca_file: f('ca.pem') }), new Redactor(), 'test');
  assert.ok(Array.isArray(added.ca) && added.ca.length === tls.rootCertificates.length + 1, 'the system roots plus the file');
  assert.equal(await get(added), 'ok');
  const only = buildTlsOptions(TlsSchema.parse({ ca_file: f('ca.pem'), system_roots: false }), new Redactor(), 'test');
  assert.ok(Buffer.isBuffer(only.ca), 'only the file');
  assert.equal(await get(only), 'ok');
  await assert.rejects(get(buildTlsOptions(undefined, new Redactor(), 'test')), /certificate/i);
  assert.throws(() => TlsSchema.parse({ system_roots: false }), /needs a ca_file/);
  assert.throws(() => TlsSchema.parse({ cert_file: '/c.pem' }), /go together/);
});
