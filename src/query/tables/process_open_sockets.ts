/**
 * osquery's `process_open_sockets`: the TCP, UDP, raw and UNIX sockets each process holds
 * open, from its fds and the socket tables of its network namespace (live root only).
 * `WHERE pid = N` reads one process. TCP sockets carry the kernel's TCP state; UDP, raw and
 * UNIX sockets have no state column value (''), and UNIX sockets no addresses or ports.
 */
import type { Table, TableSpec } from '../table.js';
import { allPids, openSockets } from './proc-sockets.js';

const spec: TableSpec = {
  name: "process_open_sockets",
  description: "Processes which have open network sockets on the system.",
  columns: [
    { name: "pid", type: "INTEGER", description: "Process (or thread) ID", index: true },
    { name: "fd", type: "BIGINT", description: "Socket file descriptor number" },
    { name: "socket", type: "BIGINT", description: "Socket handle or inode number" },
    { name: "family", type: "INTEGER", description: "Network protocol (IPv4, IPv6)" },
    { name: "protocol", type: "INTEGER", description: "Transport protocol (TCP/UDP)" },
    { name: "local_address", type: "TEXT", description: "Socket local address" },
    { name: "remote_address", type: "TEXT", description: "Socket remote address" },
    { name: "local_port", type: "INTEGER", description: "Socket local port" },
    { name: "remote_port", type: "INTEGER", description: "Socket remote port" },
    { name: "path", type: "TEXT", description: "For UNIX sockets (family=AF_UNIX), the domain path" },
    { name: "state", type: "TEXT", description: "TCP socket state" },
    { name: "net_namespace", type: "TEXT", description: "" },
  ],
  examples: ["select * from process_open_sockets where pid = 1"],
  liveOnly: true,
};

export const table: Table = {
  spec,
  *generate(ctx) {
    const pids = ctx.equalsValues('pid')?.map(Number).filter((n) => Number.isInteger(n) && n > 0) ?? allPids(ctx.root);
    for (const { pid, fd, netns, socket: s } of openSockets(ctx.root, pids)) {
      yield {
        pid, fd, socket: s.inode, family: s.family, protocol: s.protocol,
        local_address: s.localAddress, remote_address: s.remoteAddress, local_port: s.localPort, remote_port: s.remotePort,
        path: s.path, state: s.state, net_namespace: netns,
      };
    }
  },
};
