/** osquery's `users`: local accounts from /etc/passwd under the root. */
import fs from 'node:fs';
import { resolveSync } from '../path-constraints.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';

const spec = osqueryTableSpec('users');

/** Parses passwd(5) lines; malformed lines are skipped. */
export function parsePasswd(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('+') || line.startsWith('-')) continue;
    const f = line.split(':');
    if (f.length < 7) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    rows.push({
      uid,
      gid,
      uid_signed: uid > 0x7fffffff ? uid - 0x100000000 : uid,
      gid_signed: gid > 0x7fffffff ? gid - 0x100000000 : gid,
      username: f[0]!,
      description: f[4]!,
      directory: f[5]!,
      shell: f[6]!,
      uuid: '',
      pid_with_namespace: null,
      include_remote: 0,
    });
  }
  return rows;
}

export const table: Table = {
  spec,
  *generate(ctx) {
    let text: string;
    try {
      text = fs.readFileSync(resolveSync(ctx.root, '/etc/passwd'), 'utf8');
    } catch {
      ctx.warn('/etc/passwd is missing or unreadable');
      return;
    }
    const uids = ctx.equalsValues('uid')?.map(Number);
    const names = ctx.equalsValues('username')?.map(String);
    for (const row of parsePasswd(text)) {
      if (uids && !uids.includes(row.uid as number)) continue;
      if (names && !names.includes(row.username as string)) continue;
      yield row;
    }
  },
};
