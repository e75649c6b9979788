/** osquery's `processes`: the running processes, from /proc (live root only). `WHERE pid = N` reads one process. */
import fs from 'node:fs';
import { HostRoot } from '../../core/host-root.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';

const spec = osqueryTableSpec('processes', { liveOnly: true });

/** USER_HZ: the kernel reports CPU times in these ticks; 100 on every Linux architecture in use. */
const CLOCK_TICKS = 100;

const DELETED_SUFFIX = ' (deleted)';

/**
 * osquery's path and on_disk for an executable link: the kernel appends " (deleted)" to the
 * target of a deleted binary; osquery drops it and reports on_disk 0, unless a file of that
 * very name exists and is the running binary (same inode as the one behind the exe link).
 */
export function executableOnDisk(target: string, exeLink: string): { path: string; onDisk: number } {
  if (!target.endsWith(DELETED_SUFFIX)) return { path: target, onDisk: fs.existsSync(target) ? 1 : 0 };
  const stripped = target.slice(0, -DELETED_SUFFIX.length);
  let named: fs.Stats;
  try { named = fs.statSync(target); } catch { return { path: stripped, onDisk: 0 }; }
  let running: fs.Stats;
  try { running = fs.statSync(exeLink); } catch { return { path: target, onDisk: -1 }; }
  return running.ino === named.ino && running.dev === named.dev ? { path: target, onDisk: 1 } : { path: stripped, onDisk: 0 };
}

// A live-only table: /proc of the running system, read through its root like every table.
const LIVE = new HostRoot('/');

function read(path: string): string | undefined {
  try { return LIVE.readTextSync(path); } catch { return undefined; }
}

function readlink(path: string): string | undefined {
  try { return LIVE.readlinkSync(path); } catch { return undefined; }
}

/** Seconds since the epoch at which the kernel booted (/proc/stat btime). */
export function bootTime(): number {
  const m = /^btime (\d+)$/m.exec(read('/proc/stat') ?? '');
  return m ? Number(m[1]) : 0;
}

function statusField(status: string, key: string): string[] | undefined {
  const m = new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(status);
  return m ? m[1]!.trim().split(/\s+/) : undefined;
}

/** One process's row, or undefined when it is gone (it may exit while we read). */
export function readProcess(pid: number, used: ReadonlySet<string>, boot: number): Row | undefined {
  const base = `/proc/${pid}`;
  const stat = read(`${base}/stat`);
  if (!stat) return undefined;
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(stat.indexOf('(') + 1, close);
  const f = stat.slice(close + 2).split(' '); // f[0] is field 3 (state)
  const field = (n: number) => Number(f[n - 3]);
  const status = read(`${base}/status`) ?? '';
  const uids = statusField(status, 'Uid') ?? [];
  const gids = statusField(status, 'Gid') ?? [];
  const kb = (key: string) => { const v = statusField(status, key); return v ? Number(v[0]) * 1024 : 0; };
  const wants = (c: string) => used.has(c);
  let path = '';
  if (wants('path') || wants('on_disk')) path = readlink(`${base}/exe`) ?? '';
  let onDisk = -1;
  if (path) ({ path, onDisk } = executableOnDisk(path, `${base}/exe`));
  let cmdline = '';
  if (wants('cmdline')) cmdline = (read(`${base}/cmdline`) ?? '').replace(/\0+$/, '').replace(/\0/g, ' ');
  let readBytes = -1;
  let writeBytes = -1;
  if (wants('disk_bytes_read') || wants('disk_bytes_written')) {
    const io = read(`${base}/io`);
    if (io) {
      readBytes = Number(/^read_bytes: (\d+)/m.exec(io)?.[1] ?? -1);
      writeBytes = Number(/^write_bytes: (\d+)/m.exec(io)?.[1] ?? -1);
    }
  }
  let cgroup = '';
  if (wants('cgroup_path')) {
    const lines = (read(`${base}/cgroup`) ?? '').split('\n').filter(Boolean);
    const unified = lines.find((l) => l.startsWith('0::'));
    cgroup = (unified ?? lines[0] ?? '').split(':').slice(2).join(':');
  }
  return {
    pid,
    name: statusField(status, 'Name')?.join(' ') ?? comm,
    path,
    cmdline,
    state: f[0] ?? '',
    cwd: wants('cwd') ? readlink(`${base}/cwd`) ?? '' : '',
    root: wants('root') ? readlink(`${base}/root`) ?? '' : '',
    uid: Number(uids[0] ?? -1),
    gid: Number(gids[0] ?? -1),
    euid: Number(uids[1] ?? -1),
    egid: Number(gids[1] ?? -1),
    suid: Number(uids[2] ?? -1),
    sgid: Number(gids[2] ?? -1),
    on_disk: onDisk,
    wired_size: 0,
    resident_size: kb('VmRSS'),
    total_size: kb('VmSize'),
    user_time: Math.round((field(14) * 1000) / CLOCK_TICKS),
    system_time: Math.round((field(15) * 1000) / CLOCK_TICKS),
    disk_bytes_read: readBytes,
    disk_bytes_written: writeBytes,
    start_time: boot ? boot + Math.floor(field(22) / CLOCK_TICKS) : -1,
    parent: field(4),
    pgroup: field(5),
    threads: field(20),
    nice: field(19),
    cgroup_path: cgroup,
  };
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const boot = ctx.columnsUsed.has('start_time') ? bootTime() : 0;
    const wanted = ctx.equalsValues('pid');
    const pids = wanted
      ? wanted.map(Number).filter((n) => Number.isInteger(n) && n > 0)
      : fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
    for (const pid of pids) {
      const row = readProcess(pid, ctx.columnsUsed, boot);
      if (row) yield row;
    }
  },
};
