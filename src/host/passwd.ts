/** /etc/passwd (passwd(5)): accounts with uid, gid, home and shell. */
import { NUMERIC_ID, parseColonFile, type AccountFile } from './colon-file.js';

export const PASSWD_PATH = '/etc/passwd';

export interface PasswdEntry {
  name: string;
  /** second field: "x" when the hash is in shadow, "" for no password, else a (legacy) hash */
  password: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  /** login shell; "" means /bin/sh to login(1) */
  shell: string;
  /** 1-based line in the file */
  line: number;
}

/** Exactly 7 fields with numeric uid and gid; anything else is a malformed line. */
export function parsePasswd(text: string, path = PASSWD_PATH): AccountFile<PasswdEntry> {
  return parseColonFile(text, path, 7, (f, line) => {
    if (!NUMERIC_ID.test(f[2]!) || !NUMERIC_ID.test(f[3]!)) return 'uid and gid must be numbers';
    return { name: f[0]!, password: f[1]!, uid: Number(f[2]), gid: Number(f[3]), gecos: f[4]!, home: f[5]!, shell: f[6]!, line };
  });
}
