/**
 * process_open_sockets, listening_ports, process_open_files, process_envs and
 * process_namespaces against ss, lsns and /proc readers of coreutils, with a real server
 * process started by the test (TCP and UDP on loopback, a UNIX socket, an open file).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryEngine } from '../../src/query/engine.js';
import { assertTypes, rowsOf, sh } from './helpers.js';

const engine = new QueryEngine();
const rows = (sql: string) => rowsOf(engine, sql);
let child: ChildProcess;
let tmp: string;
let ports: { tcp: number; udp: number; tcp6: number };
const sockPath = () => path.join(tmp, 'server.sock');

const SERVER = `
const net = require('node:net'); const dgram = require('node:dgram'); const fs = require('node:fs');
const tcp = net.createServer().listen(0, '127.0.0.1', () => {
  const tcp6 = net.createServer().listen(0, '::1', () => {
    const udp = dgram.createSocket('udp4'); udp.bind(0, '127.0.0.1', () => {
      net.createServer().listen(process.argv[1], () => {
        fs.openSync(process.argv[2], 'r');
        process.stdout.write(JSON.stringify({ tcp: tcp.address().port, tcp6: tcp6.address().port, udp: udp.address().port }) + '\\n');
      });
    });
  });
});
setInterval(() => {}, 1000);`;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-proc-'));
  fs.writeFileSync(path.join(tmp, 'open-me.txt'), 'x');
  child = spawn(process.execPath, ['-e', SERVER, sockPath(), path.join(tmp, 'open-me.txt')], { stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: process.env.PATH, SPYGLASS_TEST_MARKER: 'a=b c' } });
  ports = await new Promise((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()))));
});
after(() => { child.kill(); engine.close(); fs.rmSync(tmp, { recursive: true, force: true }); });

test('process_open_sockets: the server\'s TCP, TCP6, UDP and UNIX sockets, as ss reports them', async () => {
  const ours = await rows(`SELECT * FROM process_open_sockets WHERE pid = ${child.pid}`);
  assertTypes(ours, { pid: 'INTEGER', fd: 'INTEGER', socket: 'INTEGER', family: 'INTEGER', protocol: 'INTEGER', local_address: 'TEXT', remote_address: 'TEXT', local_port: 'INTEGER', remote_port: 'INTEGER', path: 'TEXT', state: 'TEXT', net_namespace: 'TEXT' });
  const tcp = ours.find((r) => r.protocol === 6 && r.local_port === ports.tcp)!;
  assert.deepEqual([tcp.family, tcp.local_address, tcp.state, tcp.remote_address, tcp.remote_port], [2, '127.0.0.1', 'LISTEN', '0.0.0.0', 0]);
  const tcp6 = ours.find((r) => r.protocol === 6 && r.local_port === ports.tcp6)!;
  assert.deepEqual([tcp6.family, tcp6.local_address, tcp6.state], [10, '::1', 'LISTEN']);
  const udp = ours.find((r) => r.protocol === 17 && r.local_port === ports.udp)!;
  assert.deepEqual([udp.family, udp.local_address], [2, '127.0.0.1']);
  const unix = ours.find((r) => r.family === 1 && r.path === sockPath())!;
  assert.ok(unix, 'the UNIX socket with its path');
  // ss -anp shows the same socket inodes for the process, with the same fds
  const ss = sh('ss', ['-anpe', '-A', 'inet,unix']);
  for (const r of [tcp, tcp6, udp, unix]) {
    const line = ss.split('\n').find((l) => new RegExp(`ino:${r.socket}\\b`).test(l) || new RegExp(`\\s${r.socket}\\s`).test(l));
    assert.ok(line, `ss knows socket ${r.socket}`);
    assert.match(line, new RegExp(`pid=${child.pid},fd=${r.fd}\\b`));
  }
  assert.equal(tcp.net_namespace, sh('stat', ['-L', '-c', '%i', `/proc/${child.pid}/ns/net`]).trim());
});

test('listening_ports: every port ss -ltnu lists, with the owning process where ss knows it', async () => {
  const ours = await rows('SELECT * FROM listening_ports');
  assertTypes(ours, { pid: 'INTEGER', port: 'INTEGER', protocol: 'INTEGER', family: 'INTEGER', address: 'TEXT', fd: 'INTEGER', socket: 'INTEGER', path: 'TEXT', net_namespace: 'TEXT' });
  const theirs = sh('ss', ['-ltnuH']).trim().split('\n').filter(Boolean).map((l) => {
    const f = l.trim().split(/\s+/);
    const local = f[4]!;
    const port = Number(local.slice(local.lastIndexOf(':') + 1));
    return `${f[0] === 'tcp' ? 6 : 17}:${port}`;
  });
  const mine = new Set(ours.filter((r) => r.family !== 1).map((r) => `${r.protocol}:${r.port}`));
  for (const t of theirs) assert.ok(mine.has(t), `ss lists ${t}`);
  const server = ours.filter((r) => r.pid === child.pid);
  assert.deepEqual(server.filter((r) => r.family !== 1).map((r) => `${r.protocol}:${r.port}:${r.address}`).sort(),
    [`17:${ports.udp}:127.0.0.1`, `6:${ports.tcp}:127.0.0.1`, `6:${ports.tcp6}:::1`].sort());
  assert.ok(server.some((r) => r.family === 1 && r.path === sockPath() && r.port === 0));
});

test('process_open_files: the fds and targets /proc/<pid>/fd shows (find -printf)', async () => {
  const ours = await rows(`SELECT fd, path FROM process_open_files WHERE pid = ${child.pid}`);
  const theirs = sh('find', [`/proc/${child.pid}/fd`, '-mindepth', '1', '-printf', '%f\\t%l\\n']).trim().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(ours.map((r) => `${r.fd} ${r.path}`).sort(), theirs.map(([fd, p]) => `${fd} ${p}`).sort());
  assert.ok(ours.some((r) => r.path === path.join(tmp, 'open-me.txt')));
  assertTypes(ours, { fd: 'INTEGER', path: 'TEXT' });
});

test('process_envs: the environment the process was given (ps e)', async () => {
  const ours = await rows(`SELECT key, value FROM process_envs WHERE pid = ${child.pid}`);
  assert.deepEqual(ours, [{ key: 'PATH', value: process.env.PATH }, { key: 'SPYGLASS_TEST_MARKER', value: 'a=b c' }]);
  assert.match(sh('ps', ['eww', '-o', 'args=', '-p', String(child.pid)]), /SPYGLASS_TEST_MARKER=a=b c/);
  const all = await rows('SELECT DISTINCT pid FROM process_envs');
  assert.ok(all.some((r) => r.pid === process.pid));
});

test('process_namespaces: the inodes lsns reports', async () => {
  const [ours] = await rows(`SELECT * FROM process_namespaces WHERE pid = ${child.pid}`);
  assert.ok(ours);
  for (const kind of ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts']) {
    const theirs = sh('stat', ['-L', '-c', '%i', `/proc/${child.pid}/ns/${kind}`]).trim();
    assert.equal(ours[`${kind}_namespace`], theirs, kind);
  }
  const lsns = sh('lsns', ['-n', '-r', '-o', 'NS,TYPE', '-p', String(child.pid)]).trim().split('\n').map((l) => l.split(' '));
  for (const [ns, type] of lsns) if (`${type}_namespace` in ours) assert.equal(ours[`${type}_namespace`], ns, `lsns ${type}`); // lsns also knows the time namespace, which osquery has no column for
});
