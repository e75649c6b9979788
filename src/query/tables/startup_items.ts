/**
 * osquery's `startup_items` on Linux: what starts at boot or login, read from disk:
 * - enabled systemd services, timers, sockets and paths (type "systemd unit"; `path` and
 *   `args` from a service's ExecStart, `username` its User=),
 * - SysV init scripts started in runlevels S and 2-5 (/etc/rc?.d/S* links, type "init.d"),
 * - XDG autostart entries for desktop sessions (/etc/xdg/autostart and each user's
 *   ~/.config/autostart, type "Startup Item"; Hidden=true entries are "disabled").
 * `source` is the file or link that makes the item start.
 */
import path from 'node:path';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { lines, listDirSync, readTextSync, readlinkSync, usersWithHomes } from '../table-support/host-files.js';
import { readUnitFiles, unitSetting } from '../../host/systemd-units.js';

const spec = osqueryTableSpec('startup_items');

const STARTED_UNIT = /\.(service|timer|socket|path)$/;

/** Splits an ExecStart= line into the program and its arguments (prefixes @-:+! dropped). */
export function splitExec(exec: string): [string, string] {
  const line = exec.trim().replace(/^[@\-:+!]+/, '');
  const m = /^("([^"]*)"|\S+)\s*(.*)$/.exec(line);
  if (!m) return ['', ''];
  return [m[2] ?? m[1]!, m[3]!];
}

function desktopEntry(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let inEntry = false;
  for (const raw of lines(text)) {
    const t = raw.trim();
    if (t.startsWith('[')) { inEntry = t === '[Desktop Entry]'; continue; }
    const eq = t.indexOf('=');
    if (inEntry && eq > 0 && !t.startsWith('#') && !out.has(t.slice(0, eq).trim())) out.set(t.slice(0, eq).trim(), t.slice(eq + 1).trim());
  }
  return out;
}

export const table: Table = {
  spec,
  *generate(ctx) {
    for (const u of readUnitFiles(ctx.root)) {
      if (!STARTED_UNIT.test(u.name) || (u.state !== 'enabled' && u.state !== 'enabled-runtime')) continue;
      const [program, args] = u.name.endsWith('.service') ? splitExec(unitSetting(u.settings, 'Service', 'ExecStart')) : ['', ''];
      yield { name: u.name, path: program, args, type: 'systemd unit', source: u.fragmentPath, status: 'enabled', username: unitSetting(u.settings, 'Service', 'User') };
    }
    const seenScripts = new Set<string>();
    for (const level of ['S', '2', '3', '4', '5']) {
      const dir = `/etc/rc${level}.d`;
      for (const link of listDirSync(ctx.root, dir)) {
        if (!/^S\d\d/.test(link)) continue;
        const target = readlinkSync(ctx.root, `${dir}/${link}`);
        const script = target ? path.posix.resolve(dir, target) : `${dir}/${link}`;
        if (seenScripts.has(script)) continue;
        seenScripts.add(script);
        yield { name: path.posix.basename(script), path: script, args: '', type: 'init.d', source: `${dir}/${link}`, status: 'enabled', username: '' };
      }
    }
    const autostartDirs: Array<[string, string]> = [['/etc/xdg/autostart', '']];
    for (const u of usersWithHomes(ctx.root)) autostartDirs.push([`${u.home.replace(/\/$/, '')}/.config/autostart`, u.name]);
    for (const [dir, username] of autostartDirs) {
      for (const file of listDirSync(ctx.root, dir)) {
        if (!file.endsWith('.desktop')) continue;
        const entry = desktopEntry(readTextSync(ctx.root, `${dir}/${file}`) ?? '');
        const [program, args] = splitExec(entry.get('Exec') ?? '');
        const row: Row = {
          name: entry.get('Name') ?? file, path: program, args, type: 'Startup Item', source: `${dir}/${file}`,
          status: entry.get('Hidden') === 'true' || entry.get('X-GNOME-Autostart-enabled') === 'false' ? 'disabled' : 'enabled', username,
        };
        yield row;
      }
    }
  },
};
