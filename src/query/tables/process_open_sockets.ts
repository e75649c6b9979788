/**
 * osquery's `process_open_sockets`: the TCP, UDP, raw and UNIX sockets each process holds
 * open, from its fds and the socket tables of its network namespace (live root only).
 * `WHERE pid = N` reads one process. TCP sockets carry the kernel's TCP state; UDP, raw and
 * UNIX sockets have no state column value (''), and UNIX sockets no addresses or ports.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { allPids, openSockets } from '../table-support/proc-sockets.js';

const spec = osqueryTableSpec('process_open_sockets', { liveOnly: true });

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
