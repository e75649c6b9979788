/** osquery's `etc_hosts`: the root's /etc/hosts, one row per address line. */
import type { Table, TableSpec } from '../table.js';
import { lines, readTextSync } from './host-files.js';

const spec: TableSpec = {
  name: "etc_hosts",
  description: "Line-parsed /etc/hosts.",
  columns: [
    { name: "address", type: "TEXT", description: "IP address mapping" },
    { name: "hostnames", type: "TEXT", description: "Raw hosts mapping" },
    { name: "pid_with_namespace", type: "INTEGER", description: "", hidden: true, index: true },
  ],
  examples: ["select * from etc_hosts where address not in ('127.0.0.1', '::1')"],
};

export const table: Table = {
  spec,
  *generate(ctx) {
    const text = readTextSync(ctx.root, '/etc/hosts');
    if (text === undefined) return;
    for (const raw of lines(text)) {
      const f = raw.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean);
      if (f.length < 2) continue;
      yield { address: f[0]!, hostnames: f.slice(1).join(' '), pid_with_namespace: null };
    }
  },
};
