/**
 * osquery's `shell_history`: commands in each local user's shell history files
 * (.bash_history, .zsh_history, .zhistory, .history, .sh_history in the home directory), read
 * through the root. Timestamps come from bash's HISTTIMEFORMAT comments (`#1700000000`) and
 * zsh's extended history (`: 1700000000:0;command`); other lines have time 0. A zsh
 * multi-line command (lines ending in a backslash) is one row. `WHERE uid = N` reads one user.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { lines, readTextSync, usersWithHomes } from '../table-support/host-files.js';

const spec = osqueryTableSpec('shell_history');

const HISTORY_FILES = ['.bash_history', '.zsh_history', '.zhistory', '.history', '.sh_history'];

export function parseHistory(text: string, uid: number, file: string): Row[] {
  const rows: Row[] = [];
  let pendingTime = 0;
  const all = lines(text);
  for (let i = 0; i < all.length; i++) {
    let line = all[i]!;
    const bashTime = /^#(\d{9,})$/.exec(line);
    if (bashTime) { pendingTime = Number(bashTime[1]); continue; }
    let time = pendingTime;
    pendingTime = 0;
    const zsh = /^: (\d+):\d+;(.*)$/.exec(line);
    if (zsh) {
      time = Number(zsh[1]);
      line = zsh[2]!;
      while (line.endsWith('\\') && i + 1 < all.length) line = `${line.slice(0, -1)}\n${all[++i]}`;
    }
    if (line === '') continue;
    rows.push({ uid, time, command: line, history_file: file });
  }
  return rows;
}

export const table: Table = {
  spec,
  *generate(ctx) {
    for (const u of usersWithHomes(ctx.root, ctx.equalsValues('uid'))) {
      for (const name of HISTORY_FILES) {
        const file = `${u.home.replace(/\/$/, '')}/${name}`;
        const text = readTextSync(ctx.root, file);
        if (text !== undefined) yield* parseHistory(text, u.uid, file);
      }
    }
  },
};
