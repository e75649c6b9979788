/**
 * osquery's `crontab`: jobs of the system crontab (/etc/crontab), /etc/cron.d/* and the
 * users' crontabs (/var/spool/cron/crontabs/* on Debian, /var/spool/cron/* on Red Hat).
 * `event` holds an @-keyword (@reboot, @daily, …) and leaves the time fields empty.
 * In the system files the user field stays at the start of `command`, as in osquery.
 * Environment assignments (MAILTO=…) are not jobs. cron.d names with a '.' are skipped as cron does.
 */
import type { HostRoot } from '../../core/host-root.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { lines, listDirSync, readTextSync, statSync } from '../table-support/host-files.js';

const spec = osqueryTableSpec('crontab');

export function parseCrontab(text: string, path: string): Row[] {
  const rows: Row[] = [];
  for (const raw of lines(text)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (/^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line)) continue;
    const empty = { event: '', minute: '', hour: '', day_of_month: '', month: '', day_of_week: '' };
    if (line.startsWith('@')) {
      const m = /^(@\w+)\s+(.*)$/.exec(line);
      if (m) rows.push({ ...empty, event: m[1]!, command: m[2]!, path, pid_with_namespace: null });
      continue;
    }
    const f = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!f) continue;
    rows.push({ ...empty, minute: f[1]!, hour: f[2]!, day_of_month: f[3]!, month: f[4]!, day_of_week: f[5]!, command: f[6]!, path, pid_with_namespace: null });
  }
  return rows;
}

export function crontabFiles(root: HostRoot): string[] {
  const files = ['/etc/crontab'];
  for (const n of listDirSync(root, '/etc/cron.d')) if (!n.includes('.') && !n.endsWith('~')) files.push(`/etc/cron.d/${n}`);
  for (const n of listDirSync(root, '/var/spool/cron/crontabs')) files.push(`/var/spool/cron/crontabs/${n}`);
  for (const n of listDirSync(root, '/var/spool/cron')) {
    if (n === 'crontabs' || n === 'atjobs' || n === 'atspool') continue;
    if (statSync(root, `/var/spool/cron/${n}`)?.isFile()) files.push(`/var/spool/cron/${n}`);
  }
  return files;
}

export const table: Table = {
  spec,
  *generate(ctx) {
    for (const file of crontabFiles(ctx.root)) {
      const text = readTextSync(ctx.root, file);
      if (text !== undefined) yield* parseCrontab(text, file);
    }
  },
};
