/** osquery's `arp_cache`: the kernel's IPv4 neighbour table from /proc/net/arp (live root only). */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { lines, readTextSync } from '../table-support/host-files.js';

const spec = osqueryTableSpec('arp_cache', { liveOnly: true });

/** ATF_PERM in the Flags column: a static entry. */
const ATF_PERM = 0x04;

export const table: Table = {
  spec,
  *generate(ctx) {
    const text = readTextSync(ctx.root, '/proc/net/arp');
    if (text === undefined) return;
    for (const line of lines(text).slice(1)) {
      // IP address, HW type, Flags, HW address, Mask, Device
      const f = line.trim().split(/\s+/);
      if (f.length < 6) continue;
      yield { address: f[0]!, mac: f[3]!, interface: f[5]!, permanent: parseInt(f[2]!, 16) & ATF_PERM ? '1' : '0' };
    }
  },
};
