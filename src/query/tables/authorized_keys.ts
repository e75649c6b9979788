/**
 * osquery's `authorized_keys`: each key of every local user's ~/.ssh/authorized_keys and
 * ~/.ssh/authorized_keys2, with its options (command=, from=, …) and comment. Files named
 * by a custom sshd AuthorizedKeysFile are not read (the `sshd_config` check covers that).
 * `WHERE uid = N` reads one user.
 */
import type { Table, TableSpec } from '../table.js';
import { lines, readTextSync, usersWithHomes } from './host-files.js';
import { parseKeyLine } from './ssh-key-lines.js';

const spec: TableSpec = {
  name: "authorized_keys",
  description: "A line-delimited authorized_keys table.",
  columns: [
    { name: "uid", type: "BIGINT", description: "The local owner of authorized_keys file", index: true },
    { name: "algorithm", type: "TEXT", description: "Key type" },
    { name: "key", type: "TEXT", description: "Key encoded as base64" },
    { name: "options", type: "TEXT", description: "Optional list of login options" },
    { name: "comment", type: "TEXT", description: "Optional comment" },
    { name: "key_file", type: "TEXT", description: "Path to the authorized_keys file" },
    { name: "pid_with_namespace", type: "INTEGER", description: "", hidden: true, index: true },
  ],
  examples: ["select * from users join authorized_keys using (uid)"],
};

export const table: Table = {
  spec,
  *generate(ctx) {
    for (const u of usersWithHomes(ctx.root, ctx.equalsValues('uid'))) {
      for (const name of ['authorized_keys', 'authorized_keys2']) {
        const file = `${u.home.replace(/\/$/, '')}/.ssh/${name}`;
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
