/**
 * osquery's `authorized_keys`: each key in every local user's authorized keys files, with
 * its options (command=, from=, …) and comment. The files are the ones sshd reads: the
 * AuthorizedKeysFile of /etc/ssh/sshd_config as `sshd -T` reports it (Includes and Match
 * blocks read by the audit's own sshd parser, src/host/sshd-config.ts), by default
 * ~/.ssh/authorized_keys and ~/.ssh/authorized_keys2 — so keys kept in /etc/ssh/keys/%u are
 * seen too (osquery reads only the two default files). `WHERE uid = N` reads one user.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { lines, localUsers, readTextSync } from '../table-support/host-files.js';
import { parseKeyLine } from '../table-support/ssh-key-lines.js';
import { expandForUser, readAuthorizedKeysPatternsSync } from '../../host/sshd-authorized-keys-files.js';

const spec = osqueryTableSpec('authorized_keys');

export const table: Table = {
  spec,
  *generate(ctx) {
    const { patterns, problem } = readAuthorizedKeysPatternsSync(ctx.root);
    if (problem) ctx.warn(`authorized_keys: ${problem.message}; reading sshd's default key files`);
    const uids = ctx.equalsValues('uid')?.map(Number);
    const seen = new Set<string>(); // a file shared by several accounts (one home, /nonexistent) is read once
    for (const u of localUsers(ctx.root)) {
      if (uids && !uids.includes(u.uid)) continue;
      for (const file of patterns.map((p) => expandForUser(p, { name: u.name, uid: u.uid, home: u.home }))) {
        if (seen.has(file)) continue;
        seen.add(file);
        const text = readTextSync(ctx.root, file);
        if (text === undefined) continue;
        for (const raw of lines(text)) {
          const k = parseKeyLine(raw);
          if (k) yield { uid: u.uid, algorithm: k.algorithm, key: k.key, options: k.options, comment: k.comment, key_file: file, pid_with_namespace: null };
        }
      }
    }
  },
};
