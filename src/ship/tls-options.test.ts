/**
 * TLS for HTTP sinks against a real node:https HEC server with certificates made by openssl:
 * verification on by default (an unknown CA is refused), ca_file trusts it, and a server that
 * requires client certificates accepts the configured cert_file/key_file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { execFileSync } from 'node:child_process';
import { createPipeline } from './pipeline.js';

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

test('HEC over HTTPS: verification on by default, ca_file, client certificate', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-tls-'));
  const f = (n: string) => path.join(dir, n);
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=Spyglass Test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=localhost');
  fs.writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '1', '-extfile', f('san.ext'));
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('client.key'), '-out', f('client.csr'), '-subj', '/CN=agent-web-01');
  openssl('x509', '-req', '-in', f('client.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('client.pem'), '-days', '1');

  const clients: string[] = [];
  let events = 0;
  const server = https.createServer({ key: fs.readFileSync(f('server.key')), cert: fs.readFileSync(f('server.pem')), ca: fs.readFileSync(f('ca.pem')), requestCert: true, rejectUnauthorized: true }, (req, res) => {
    clients.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN));
    req.resume();
    req.on('end', () => { events++; res.writeHead(200, { 'content-type': 'application/json' }).end('{"text":"Success","code":0}'); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const base = { type: 'splunk_hec' as const, endpoints: [url], token: 'tls-test-token', retry: { initial_delay: '20ms', max_delay: '100ms' }, batch: { max_wait: '10ms' } };
  try {
    // 1. default verification: the private CA is not trusted
    let p = await createPipeline({ sinks: { s: base } }, { stateDir: f('s1'), log: () => {} });
    p.start();
    await p.publish({ kind: 'agent', source: 't', data: {} });
    assert.equal(await p.flush(800), false);
    assert.match(p.status().sinks[0]!.lastError ?? '', /certificate/i);
    await p.stop(0);
    // 2. trusted CA but no client certificate: the server refuses the handshake
    p = await createPipeline({ sinks: { s: { ...base, tls: { ca_file: f('ca.pem') } } } }, { stateDir: f('s2'), log: () => {} });
    p.start();
    await p.publish({ kind: 'agent', source: 't', data: {} });
    assert.equal(await p.flush(800), false);
    await p.stop(0);
    assert.equal(events, 0);
    // 3. trusted CA and a client certificate: delivered, and the server saw who we are
    p = await createPipeline({ sinks: { s: { ...base, tls: { ca_file: f('ca.pem'), cert_file: f('client.pem'), key_file: f('client.key') } } } }, { stateDir: f('s3'), log: () => {} });
    p.start();
    await p.publish({ kind: 'agent', source: 't', data: {} });
    assert.ok(await p.flush(5000));
    assert.ok(events >= 1);
    assert.equal(clients.at(-1), 'agent-web-01');
    await p.stop();
    // a missing CA file is a clear build error
    await assert.rejects(createPipeline({ sinks: { s: { ...base, tls: { ca_file: f('nope.pem') } } } }, { stateDir: f('s4') }), /tls\.ca_file .*nope\.pem: ENOENT/);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
