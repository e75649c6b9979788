/**
 * The kernel's socket tables read from /proc, for process_open_sockets and listening_ports:
 * /proc/<pid>/net/{tcp,tcp6,udp,udp6,raw,raw6,unix} (the socket tables of that process's
 * network namespace) keyed by socket inode, and the socket inodes each process holds open
 * (/proc/<pid>/fd/N -> "socket:[inode]"). Live root only.
 */
import fs from 'node:fs';
import type { HostRoot } from '../../core/host-root.js';
import { readSocketTables, type SocketInfo } from '../../host/proc-net.js';

/** The socket fds of a process: [fd, inode] pairs ([] when it is gone or not readable). */
export function socketFds(root: HostRoot, pid: number): Array<[number, number]> {
  const dir = root.join(`/proc/${pid}/fd`);
  let fds: string[];
  try { fds = fs.readdirSync(dir); } catch { return []; }
  const out: Array<[number, number]> = [];
  for (const fd of fds) {
    let target: string;
    try { target = fs.readlinkSync(`${dir}/${fd}`); } catch { continue; }
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m) out.push([Number(fd), Number(m[1])]);
  }
  return out;
}

/** The inode of a process's namespace of one kind ("net", "mnt", …) as text, or ''. */
export function namespaceInode(root: HostRoot, pid: number | 'self', kind: string): string {
  try {
    const m = /\[(\d+)\]$/.exec(fs.readlinkSync(root.join(`/proc/${pid}/ns/${kind}`)));
    return m ? m[1]! : '';
  } catch {
    return '';
  }
}

/** Process ids under /proc, ascending. */
export function allPids(root: HostRoot): number[] {
  try {
    return fs.readdirSync(root.join('/proc')).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  } catch {
    return [];
  }
}

export interface OpenSocket { pid: number; fd: number; netns: string; socket: SocketInfo }

/**
 * Sockets held open by processes: each process's socket fds joined to the socket tables of
 * its network namespace (read once per namespace, through a process in it).
 */
export function* openSockets(root: HostRoot, pids: number[]): Generator<OpenSocket> {
  const tables = new Map<string, Map<number, SocketInfo>>();
  for (const pid of pids) {
    const fds = socketFds(root, pid);
    if (fds.length === 0) continue;
    const netns = namespaceInode(root, pid, 'net');
    let table = tables.get(netns);
    if (!table) {
      table = readSocketTables(root, `/proc/${pid}/net`);
      tables.set(netns, table);
    }
    for (const [fd, inode] of fds) {
      const socket = table.get(inode);
      if (socket) yield { pid, fd, netns, socket };
    }
  }
}
