/**
 * osquery's `sudoers`: the rules of /etc/sudoers and the files it includes (`@include`,
 * `@includedir`, and the older `#include` / `#includedir`), in the order sudo reads them.
 * Each rule is a row: `header` is its first word (a user, a %group, `Defaults…`, an alias
 * keyword or an include directive) and `rule_details` the rest; backslash continuations are
 * joined. As sudo does, @includedir skips names containing '.' or ending in '~'.
 */
import path from 'node:path';
import type { HostRoot } from '../../core/host-root.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { lines, listDirSync, readTextSync } from '../table-support/host-files.js';

const spec = osqueryTableSpec('sudoers');

const MAX_INCLUDE_DEPTH = 8; // sudo's own limit is 128 nested files; loops are cut here

export function* sudoersRows(root: HostRoot, file: string, depth = 0, seen = new Set<string>()): Generator<Row> {
  if (depth > MAX_INCLUDE_DEPTH || seen.has(file)) return;
  seen.add(file);
  const text = readTextSync(root, file);
  if (text === undefined) return;
  const logical: string[] = [];
  let acc = '';
  for (const raw of lines(text)) {
    if (raw.endsWith('\\')) { acc += raw.slice(0, -1) + ' '; continue; }
    logical.push(acc + raw);
    acc = '';
  }
  if (acc) logical.push(acc);
  for (const raw of logical) {
    const line = raw.trim();
    if (!line) continue;
    const inc = /^[#@](include|includedir)\s+(.+)$/.exec(line);
    if (inc) {
      const target = inc[2]!.trim().replace(/^"(.*)"$/, '$1');
      const resolved = target.startsWith('/') ? target : path.posix.join(path.posix.dirname(file), target);
      yield { source: file, header: `${line[0]}${inc[1]}`, rule_details: target };
      if (inc[1] === 'include') yield* sudoersRows(root, resolved, depth + 1, seen);
      else for (const name of listDirSync(root, resolved)) if (!name.includes('.') && !name.endsWith('~')) yield* sudoersRows(root, `${resolved}/${name}`, depth + 1, seen);
      continue;
    }
    if (line.startsWith('#')) continue; // a comment (#include is handled above)
    const m = /^(\S+)\s*(.*)$/.exec(line)!;
    yield { source: file, header: m[1]!, rule_details: m[2]! };
  }
}

export const table: Table = {
  spec,
  *generate(ctx) {
    yield* sudoersRows(ctx.root, '/etc/sudoers');
  },
};
