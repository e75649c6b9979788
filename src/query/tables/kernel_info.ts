/**
 * osquery's `kernel_info`: the running kernel's release and its command line (live root
 * only). As osquery does, BOOT_IMAGE= becomes `path`, root= becomes `device`, and the other
 * arguments stay in `arguments`.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { readTextSync } from '../table-support/host-files.js';

const spec = osqueryTableSpec('kernel_info', { liveOnly: true });

export const table: Table = {
  spec,
  *generate(ctx) {
    const release = readTextSync(ctx.root, '/proc/sys/kernel/osrelease')?.trim() ?? '';
    const cmdline = readTextSync(ctx.root, '/proc/cmdline')?.trim() ?? '';
    let path = '';
    let device = '';
    const args: string[] = [];
    for (const arg of cmdline.split(/\s+/).filter(Boolean)) {
      if (arg.startsWith('BOOT_IMAGE=')) path = arg.slice('BOOT_IMAGE='.length);
      else if (arg.startsWith('root=')) device = arg.slice('root='.length);
      else args.push(arg);
    }
    yield { version: release, arguments: args.join(' '), path, device };
  },
};
