/**
 * osquery's `listening_ports`: sockets that accept connections or datagrams (TCP in LISTEN,
 * unconnected UDP, listening UNIX sockets with a path) with the process holding each (live
 * root only). Sockets of the agent's own network namespace that no visible process holds
 * (e.g. a process of another user's namespace, or one gone while we read) are listed with
 * pid and fd -1, so the list matches `ss -l`.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { AF_UNIX, readSocketTables, type SocketInfo } from '../../host/proc-net.js';
import { allPids, namespaceInode, openSockets } from '../table-support/proc-sockets.js';

const spec = osqueryTableSpec('listening_ports', { liveOnly: true });

function row(pid: number, fd: number, netns: string, s: SocketInfo): Row {
  return {
    pid, port: s.localPort, protocol: s.protocol, family: s.family, address: s.family === AF_UNIX ? '' : s.localAddress,
    fd, socket: s.inode, path: s.path, net_namespace: netns,
  };
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const seen = new Set<number>();
    for (const { pid, fd, netns, socket } of openSockets(ctx.root, allPids(ctx.root))) {
      if (!socket.listening) continue;
      seen.add(socket.inode);
      yield row(pid, fd, netns, socket);
    }
    const ownNs = namespaceInode(ctx.root, 'self', 'net');
    for (const socket of readSocketTables(ctx.root, '/proc/self/net').values()) {
      if (socket.listening && !seen.has(socket.inode)) yield row(-1, -1, ownNs, socket);
    }
  },
};
