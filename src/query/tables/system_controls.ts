/**
 * osquery's `system_controls`: kernel parameters under /proc/sys (live root only) with
 * the value configured for each in sysctl.conf / sysctl.d, as src/host/sysctl.ts resolves it
 * for the sysctl check too (systemd-sysctl's precedence; a glob key such as
 * net.ipv4.conf.*.rp_filter configures every interface it matches). `oid` (a BSD MIB number)
 * is empty on Linux, as in osquery; `type` is empty too. Write-only entries (vm.drop_caches is readable, but e.g.
 * net.ipv4.route.flush is not) have an empty current value.
 */
import path from 'node:path';
import type { HostRoot } from '../../core/host-root.js';
import { dottedSysctlKey, effectiveSysctlValues, normalizeSysctlKey, readPersistedSysctlSync } from '../../host/sysctl.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table, TableContext } from '../table.js';

const spec = osqueryTableSpec('system_controls', { liveOnly: true });

/** The most a parameter's value may be (some, such as dev.cdrom.info, are a few KiB). */
const MAX_VALUE_BYTES = 1024 * 1024;

/**
 * The configured value of each parameter, by dotted name (net.ipv4.conf.eth0/100.rp_filter),
 * read and resolved by src/host/sysctl.ts as the sysctl check reads it: sysctl.d precedence,
 * globs expanded against the root's /proc/sys.
 */
export function configuredValues(root: HostRoot, warn: (message: string) => void = () => {}): Map<string, string> {
  const set = readPersistedSysctlSync(root);
  for (const p of set.problems) warn(`${p.message}: its settings are missing from config_value`);
  const out = new Map<string, string>();
  for (const [key, a] of effectiveSysctlValues(root, set.assignments)) out.set(dottedSysctlKey(key), a.value!);
  return out;
}

/** The current value as sysctl prints it; '' for a write-only or unreadable parameter. */
function readValue(root: HostRoot, hostPath: string): string {
  try {
    if ((root.statSync(hostPath).mode & 0o444) === 0) return '';
    return root.readTextSync(hostPath, MAX_VALUE_BYTES).replace(/\n$/, '').replace(/\t/g, ' ');
  } catch {
    return '';
  }
}

function row(root: HostRoot, name: string, hostPath: string, config: Map<string, string>): Row {
  return { name, oid: '', subsystem: name.split('.')[0]!, current_value: readValue(root, hostPath), config_value: config.get(name) ?? '', type: '' };
}

function* walk(root: HostRoot, dir: string, prefix: string, config: Map<string, string>, subsystems?: string[]): Generator<Row> {
  let entries;
  try { entries = root.listDirEntriesSync(dir); } catch { return; }
  for (const e of entries) {
    if (!prefix && subsystems && !subsystems.includes(e.name)) continue;
    // a '.' inside a directory name (interface eth0.100) is written '/' in the dotted name, as sysctl does
    const part = e.name.replace(/\./g, '/');
    const name = prefix ? `${prefix}.${part}` : part;
    const child = path.posix.join(dir, e.name);
    if (e.isDirectory()) yield* walk(root, child, name, config);
    else if (e.isFile()) yield row(root, name, child, config);
  }
}

function* generate(ctx: TableContext): Generator<Row> {
  const root = ctx.root;
  const config = configuredValues(root, (m) => ctx.warn(m));
  const names = ctx.equalsValues('name')?.map(String);
  if (names) {
    for (const name of names) {
      const key = normalizeSysctlKey(name);
      if (key.split('/').some((p) => p === '' || p === '.' || p === '..')) continue;
      const hostPath = `/proc/sys/${key}`;
      let isFile = false;
      try { isFile = root.statSync(hostPath).isFile(); } catch { /* no such parameter */ }
      if (isFile) yield row(root, name, hostPath, config);
    }
    return;
  }
  yield* walk(root, '/proc/sys', '', config, ctx.equalsValues('subsystem')?.map(String));
}

export const table: Table = { spec, generate };
