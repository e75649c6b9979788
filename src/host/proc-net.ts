/**
 * The kernel's socket tables under /proc: /proc/net/{tcp,tcp6,udp,udp6,raw,raw6,unix} (or
 * /proc/<pid>/net/… for that process's network namespace), parsed into sockets keyed by inode.
 * Read by the process and socket tables and by the audit's open-ports check. Live root only:
 * a mounted image has no sockets.
 */
import type { HostRoot } from '../core/host-root.js';
import { ipv4FromLeHex, ipv6FromLeWordsHex } from './net-addresses.js';

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;

/** The TCP states of include/net/tcp_states.h, with the names osquery (and netstat) print. */
const TCP_STATES = ['', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'NEW_SYN_RECV'];

/** __SO_ACCEPTCON in /proc/net/unix Flags: the socket is listening. */
const SO_ACCEPTCON = 0x10000;
const SOCK_DGRAM = 2;

export interface SocketInfo {
  inode: number;
  family: number;
  protocol: number;
  localAddress: string;
  remoteAddress: string;
  localPort: number;
  remotePort: number;
  path: string;
  state: string;
  /** accepting connections (TCP LISTEN, a listening UNIX stream socket) or bound and unconnected (UDP, UNIX datagram with a path) */
  listening: boolean;
}

function splitEndpoint(text: string, v6: boolean): [string, number] {
  const [addr, port] = text.split(':');
  return [v6 ? ipv6FromLeWordsHex(addr!) : ipv4FromLeHex(addr!), parseInt(port!, 16)];
}

/** Parses one of /proc/net/{tcp,tcp6,udp,udp6,raw,raw6}. */
export function parseInetSockets(text: string, kind: 'tcp' | 'udp' | 'raw', v6: boolean): SocketInfo[] {
  const out: SocketInfo[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [local, lport] = splitEndpoint(f[1]!, v6);
    const [remote, rport] = splitEndpoint(f[2]!, v6);
    const st = parseInt(f[3]!, 16);
    const inode = Number(f[9]);
    const protocol = kind === 'tcp' ? 6 : kind === 'udp' ? 17 : lport; // a raw socket's "port" is its IP protocol
    out.push({
      inode, family: v6 ? AF_INET6 : AF_INET, protocol,
      localAddress: local, remoteAddress: remote,
      localPort: kind === 'raw' ? 0 : lport, remotePort: kind === 'raw' ? 0 : rport,
      path: '', state: kind === 'tcp' ? TCP_STATES[st] ?? '' : '',
      listening: kind === 'tcp' ? st === 10 : kind === 'udp' ? rport === 0 : false,
    });
  }
  return out;
}

/** Parses /proc/net/unix: Num RefCount Protocol Flags Type St Inode [Path]. */
export function parseUnixSockets(text: string): SocketInfo[] {
  const out: SocketInfo[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 7) continue;
    const flags = parseInt(f[3]!, 16);
    const type = parseInt(f[4]!, 16);
    const path = f.slice(7).join(' ');
    out.push({
      inode: Number(f[6]), family: AF_UNIX, protocol: 0, localAddress: '', remoteAddress: '', localPort: 0, remotePort: 0,
      path, state: '', listening: path !== '' && ((flags & SO_ACCEPTCON) !== 0 || (type === SOCK_DGRAM && f[5] === '01')),
    });
  }
  return out;
}

const INET_TABLES: Array<[string, 'tcp' | 'udp' | 'raw', boolean]> = [
  ['tcp', 'tcp', false], ['tcp6', 'tcp', true], ['udp', 'udp', false], ['udp6', 'udp', true], ['raw', 'raw', false], ['raw6', 'raw', true],
];

/** Every socket of the network namespace `netDir` (/proc/net or /proc/<pid>/net) by inode. */
export function readSocketTables(root: HostRoot, netDir: string, families?: Set<string>): Map<number, SocketInfo> {
  const map = new Map<number, SocketInfo>();
  const read = (name: string) => { try { return root.readTextSync(`${netDir}/${name}`, 256 * 1024 * 1024); } catch { return undefined; } };
  for (const [name, kind, v6] of INET_TABLES) {
    if (families && !families.has(name)) continue;
    const text = read(name);
    if (text) for (const s of parseInetSockets(text, kind, v6)) if (s.inode !== 0) map.set(s.inode, s);
  }
  if (!families || families.has('unix')) {
    const text = read('unix');
    if (text) for (const s of parseUnixSockets(text)) map.set(s.inode, s);
  }
  return map;
}

