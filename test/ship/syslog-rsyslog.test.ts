/**
 * The syslog sink against real rsyslog (Debian's package), started by the test on loopback
 * ports with its own configuration: RFC 3164 over UDP, RFC 5424 over TCP with octet-counted
 * framing, and RFC 5424 over TLS (rsyslog's openssl driver, certificate made by the test and
 * verified by the sink). rsyslog parses each message and writes the parsed fields to a file,
 * which the test reads back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createPipeline } from '../../src/ship/pipeline.js';
import { waitForPort } from '../helpers/waiting.js';

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}


interface Parsed { tag: string; host: string; app: string; msgid: string; sd: string; input: string; msg: string }

test('syslog sink: rsyslog receives RFC 3164/UDP, RFC 5424/TCP octet-counted and RFC 5424/TLS', async (t) => {
  if (!fs.existsSync('/usr/sbin/rsyslogd')) { t.skip('rsyslogd not installed (.ci/packages.txt installs it)'); return; }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-rsyslog-'));
  let rsyslog: ChildProcess | undefined;
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    const [udp, tcp, tls] = [await freePort(), await freePort(), await freePort()];
    const out = path.join(dir, 'out.log');
    fs.mkdirSync(path.join(dir, 'work'));
    fs.writeFileSync(path.join(dir, 'rsyslog.conf'), `
global(workDirectory="${dir}/work" defaultNetstreamDriverCAFile="${dir}/cert.pem" defaultNetstreamDriverCertFile="${dir}/cert.pem" defaultNetstreamDriverKeyFile="${dir}/key.pem")
module(load="imudp")
module(load="imtcp")
template(name="fields" type="string" string="%inputname%|%syslogtag%|%hostname%|%app-name%|%msgid%|%structured-data%|%msg%\\n")
ruleset(name="toFile") { action(type="omfile" file="${out}" template="fields") }
input(type="imudp" address="127.0.0.1" port="${udp}" ruleset="toFile")
input(type="imtcp" address="127.0.0.1" port="${tcp}" ruleset="toFile")
input(type="imtcp" address="127.0.0.1" port="${tls}" ruleset="toFile" streamDriver.name="ossl" streamDriver.mode="1" streamDriver.authMode="anon")
`);
    rsyslog = spawn('/usr/sbin/rsyslogd', ['-n', '-f', path.join(dir, 'rsyslog.conf'), '-i', path.join(dir, 'rsyslog.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    rsyslog.stderr!.on('data', (d) => { stderr += String(d); });
    await waitForPort(tcp, 'rsyslog', 10_000).catch((e: Error) => { throw new Error(`${e.message}: ${stderr}`); });
    await waitForPort(tls, 'rsyslog', 10_000);

    const fast = { batch: { max_events: 10, max_wait: '20ms' }, retry: { initial_delay: '50ms', max_delay: '500ms' } };
    const pipeline = await createPipeline({
      host_name: 'web-01',
      sinks: {
        bsd: { type: 'syslog', host: '127.0.0.1', port: udp, transport: 'udp', format: 'rfc3164', facility: 'local3', ...fast },
        ietf: { type: 'syslog', host: '127.0.0.1', port: tcp, transport: 'tcp', format: 'rfc5424', ...fast },
        secure: { type: 'syslog', host: '127.0.0.1', port: tls, transport: 'tls', tls: { ca_file: path.join(dir, 'cert.pem') }, ...fast },
      },
      spool: { max_bytes: 1 << 20 },
    }, { stateDir: path.join(dir, 'state'), log: () => {} });
    pipeline.start();
    for (let i = 0; i < 20; i++) await pipeline.publish({ kind: 'audit', source: 'cis "debian"', data: { i, text: 'naïve ] "quoted"' } });
    assert.ok(await pipeline.flush(20_000), 'delivered');

    const deadline = Date.now() + 10_000;
    let lines: Parsed[] = [];
    while (Date.now() < deadline) {
      const text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
      lines = text.split('\n').filter(Boolean).map((l) => {
        const [input, tag, host, app, msgid, sd, ...msg] = l.split('|');
        return { input: input!, tag: tag!, host: host!, app: app!, msgid: msgid!, sd: sd!, msg: msg.join('|').trim() };
      });
      if (lines.length >= 60) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const byInput = (name: string) => lines.filter((l) => l.input === name);
    const udpLines = byInput('imudp');
    const tcpLines = byInput('imtcp');
    assert.equal(udpLines.length, 20, 'every UDP message');
    assert.equal(tcpLines.length, 40, 'every TCP and TLS message');
    for (const l of udpLines) {
      assert.equal(l.host, 'web-01');
      assert.match(l.tag, /^spyglass\[\d+\]:$/);
      assert.equal((JSON.parse(l.msg) as { source: string }).source, 'cis "debian"');
    }
    for (const l of tcpLines) {
      assert.equal(l.app, 'spyglass');
      assert.equal(l.msgid, 'audit');
      assert.match(l.sd, /^\[spyglass@32473 kind="audit" source="cis \\"debian\\"" id="[0-9a-f-]{36}"\]$/);
      assert.equal((JSON.parse(l.msg) as { data: { text: string } }).data.text, 'naïve ] "quoted"');
    }
    const ids = (ls: Parsed[]) => ls.map((l) => (JSON.parse(l.msg) as { data: { i: number } }).data.i).sort((a, b) => a - b);
    assert.deepEqual(ids(udpLines), Array.from({ length: 20 }, (_, i) => i));
    assert.deepEqual(ids(tcpLines), Array.from({ length: 20 }, (_, i) => [i, i]).flat());
    await pipeline.stop();

    // the TLS sink verifies the certificate: without the CA it refuses to send, and says why
    const strict = await createPipeline({ sinks: { secure: { type: 'syslog', host: '127.0.0.1', port: tls, transport: 'tls', ...fast } }, spool: { max_bytes: 1 << 20 } }, { stateDir: path.join(dir, 'state2'), log: () => {} });
    strict.start();
    await strict.publish({ kind: 'agent', source: 't', data: { i: 99 } });
    assert.equal(await strict.flush(1500), false, 'not delivered to an unverified server');
    assert.match(strict.status().sinks[0]!.lastError ?? '', /certificate/i);
    await strict.stop(0);
  } finally {
    rsyslog?.kill('SIGTERM');
    if (rsyslog && rsyslog.exitCode === null) await new Promise((r) => rsyslog!.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
