/**
 * The tables the engine ships (processes, users, file, hash, os_version, system_info, time,
 * spyglass_info) against independent sources on this machine: ps, getent, stat, sha256sum,
 * hostname, nproc, date. Fixture-root behaviour is in ../engine.test.ts.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { QueryEngine } from '../engine.js';

const engine = new QueryEngine();
after(() => engine.close());
const rows = async (sql: string) => QueryEngine.rowObjects(await engine.query(sql));
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });

test('processes: WHERE pid = N reads that process; fields agree with ps', async () => {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 100));
    const pid = child.pid!;
    const [p] = await rows(`SELECT * FROM processes WHERE pid = ${pid}`);
    assert.ok(p, 'the sleep process is there');
    const [ppid, uid, gid, comm, args] = sh('ps', ['-o', 'ppid=,uid=,gid=,comm=,args=', '-p', String(pid)]).trim().split(/\s+/);
    assert.equal(p.parent, Number(ppid));
    assert.equal(p.uid, Number(uid));
    assert.equal(p.gid, Number(gid));
    assert.equal(p.name, comm);
    assert.equal(p.cmdline, `${args} 30`);
    assert.equal(p.path, fs.realpathSync(sh('sh', ['-c', 'command -v sleep']).trim()));
    assert.equal(p.on_disk, 1);
    assert.ok((p.resident_size as number) > 0);
    const startedAgo = Date.now() / 1000 - (p.start_time as number);
    assert.ok(startedAgo >= -2 && startedAgo < 60, `start_time ${p.start_time} is about now`);
    // the whole list agrees with ps on which processes exist (both are snapshots: compare long-lived ones)
    // processes come and go (other tests run beside this one): compare those ps saw both
    // before and after our snapshot
    const psPids = () => new Set(sh('ps', ['-e', '-o', 'pid=']).trim().split(/\s+/).map(Number));
    const before = psPids();
    const ours = new Set((await rows('SELECT pid FROM processes')).map((r) => r.pid));
    const afterPs = psPids();
    const missing = [...before].filter((x) => afterPs.has(x) && !ours.has(x));
    assert.deepEqual(missing, [], 'processes ps lists before and after are in ours');
    assert.ok(ours.has(process.pid));
  } finally {
    child.kill();
  }
});

test('users: the same accounts as getent passwd', async () => {
  const ours = await rows('SELECT username, uid, gid, description, directory, shell FROM users ORDER BY username');
  const theirs = sh('getent', ['passwd']).trim().split('\n').map((l) => l.split(':')).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0)); // SQLite's ORDER BY: binary
  assert.deepEqual(ours.map((u) => u.username), theirs.map((f) => f[0]));
  for (const [i, f] of theirs.entries()) {
    assert.deepEqual(ours[i], { username: f[0], uid: Number(f[2]), gid: Number(f[3]), description: f[4], directory: f[5], shell: f[6] });
  }
});

test('file and hash agree with stat and sha256sum', async () => {
  const [f] = await rows("SELECT * FROM file WHERE path = '/etc/passwd'");
  const [size, inode, uid, gid, mode, mtime, links] = sh('stat', ['-c', '%s %i %u %g %a %Y %h', '/etc/passwd']).trim().split(' ');
  assert.equal(f!.size, Number(size));
  assert.equal(f!.inode, Number(inode));
  assert.equal(f!.uid, Number(uid));
  assert.equal(f!.gid, Number(gid));
  assert.equal(f!.mode, mode!.padStart(4, '0'));
  assert.equal(f!.mtime, Number(mtime));
  assert.equal(f!.hard_links, Number(links));
  const [h] = await rows("SELECT sha256 FROM hash WHERE path = '/etc/passwd'");
  assert.equal(h!.sha256, sh('sha256sum', ['/etc/passwd']).split(' ')[0]);
});

test('os_version, system_info, time and spyglass_info agree with os-release, hostname, nproc, date', async () => {
  const [v] = await rows('SELECT * FROM os_version');
  const osRelease = fs.readFileSync('/etc/os-release', 'utf8');
  assert.equal(v!.platform, /^ID=(.*)$/m.exec(osRelease)![1]!.replace(/"/g, ''));
  assert.equal(v!.arch, sh('uname', ['-m']).trim());
  const [s] = await rows('SELECT hostname, cpu_logical_cores, physical_memory FROM system_info');
  assert.equal(s!.hostname, sh('hostname', []).trim());
  assert.equal(s!.cpu_logical_cores, Number(sh('nproc', ['--all']).trim()));
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'))![1]);
  assert.equal(s!.physical_memory, memKb * 1024);
  const [t] = await rows('SELECT unix_time, year, timezone FROM time');
  assert.ok(Math.abs((t!.unix_time as number) - Number(sh('date', ['-u', '+%s']).trim())) <= 2);
  assert.equal(t!.year, Number(sh('date', ['-u', '+%Y']).trim()));
  const [i] = await rows('SELECT pid, version, build_platform FROM spyglass_info');
  assert.equal(i!.pid, process.pid);
  assert.equal(i!.build_platform, 'linux');
  assert.deepEqual(await rows('SELECT version FROM osquery_info'), [{ version: i!.version }], 'osquery_info is the same table under osquery\'s name');
  assert.deepEqual(await rows('SELECT count(*) AS n FROM spyglass_info i JOIN system_info s ON s.uuid = i.uuid'), [{ n: 1 }], 'one host UUID in both');
});
