/**
 * osquery's `system_controls`: kernel parameters under /proc/sys (live root only) with
 * the value configured for each in sysctl.conf / sysctl.d (systemd-sysctl's precedence:
 * a file name in /etc overrides the same name in /run and /usr/lib; files are applied in
 * name order, the last assignment wins). `oid` (a BSD MIB number) is empty on Linux, as in
 * osquery; `type` is empty too. Write-only entries (vm.drop_caches is readable, but e.g.
 * net.ipv4.route.flush is not) have an empty current value.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { HostRoot } from '../../core/host-root.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { lines, listDirSync, readTextSync } from './host-files.js';

const spec = osqueryTableSpec('system_controls', { liveOnly: true });

const SYSCTL_DIRS = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'];

/**
 * sysctl.d(5): a key whose first separator is '/' is written with slashes; '/' and '.' are
 * swapped to give the dotted name (net/ipv4/conf/eth0.100/rp_filter ->
 * net.ipv4.conf.eth0/100.rp_filter, the name of the eth0.100 directory).
 */
export function normalizeSysctlName(key: string): string {
  const first = key.search(/[./]/);
  if (first < 0 || key[first] === '.') return key;
  return key.replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
}

/** name -> configured value, in the order systemd-sysctl applies the files. */
export function configuredValues(root: HostRoot): Map<string, string> {
  const byName = new Map<string, string>();
  for (const dir of SYSCTL_DIRS) {
    for (const f of listDirSync(root, dir)) if (f.endsWith('.conf') && !byName.has(f)) byName.set(f, `${dir}/${f}`);
  }
  const files = [...byName.keys()].sort().map((k) => byName.get(k)!);
  files.push('/etc/sysctl.conf');
  const values = new Map<string, string>();
  for (const file of files) {
    const text = readTextSync(root, file);
    if (text === undefined) continue;
    for (const raw of lines(text)) {
      const line = raw.trim();
      if (!line || line.startsWith('#') || line.startsWith(';')) continue;
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const name = normalizeSysctlName(line.slice(0, eq).trim().replace(/^-/, ''));
      values.set(name, line.slice(eq + 1).trim());
    }
  }
  return values;
}

function readValue(file: string): string {
  try {
    if ((fs.statSync(file).mode & 0o444) === 0) return '';
    return fs.readFileSync(file, 'utf8').replace(/\n$/, '').replace(/\t/g, ' ');
  } catch {
    return '';
  }
}

function row(name: string, file: string, config: Map<string, string>): Row {
  return { name, oid: '', subsystem: name.split('.')[0]!, current_value: readValue(file), config_value: config.get(name) ?? '', type: '' };
}

function* walk(dir: string, prefix: string, config: Map<string, string>, subsystems?: string[]): Generator<Row> {
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    if (!prefix && subsystems && !subsystems.includes(e.name)) continue;
    // a '.' inside a directory name (interface eth0.100) is written '/' in the dotted name, as sysctl does
    const part = e.name.replace(/\./g, '/');
    const name = prefix ? `${prefix}.${part}` : part;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(full, name, config);
    else if (e.isFile()) yield row(name, full, config);
  }
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const config = configuredValues(ctx.root);
    const base = ctx.root.join('/proc/sys');
    const names = ctx.equalsValues('name')?.map(String);
    if (names) {
      for (const name of names) {
        const parts = name.split('.').map((p) => p.replace(/\//g, '.'));
        if (parts.some((p) => p === '' || p === '.' || p === '..')) continue;
        const file = path.join(base, ...parts);
        if (fs.existsSync(file) && fs.statSync(file).isFile()) yield row(name, file, config);
      }
      return;
    }
    yield* walk(base, '', config, ctx.equalsValues('subsystem')?.map(String));
  },
};
