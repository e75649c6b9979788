/**
 * osquery's `shadow`: password aging and the state of each account's password from the
 * root's /etc/shadow. The hash itself is never returned: only its state and algorithm.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { lines, readTextSync } from './host-files.js';

const spec = osqueryTableSpec('shadow');

/** crypt(3) prefixes (`$id$`) to the names osquery-like reports use. */
const HASH_ALGORITHMS: Record<string, string> = {
  '1': 'md5', '2a': 'bcrypt', '2b': 'bcrypt', '2y': 'bcrypt', '5': 'sha256', '6': 'sha512',
  'y': 'yescrypt', 'gy': 'gost-yescrypt', '7': 'scrypt', 'sha1': 'sha1', 'md5': 'sunmd5',
};

/** As osquery: "!!" never set, a leading "!" or "*" locked, empty empty, anything else active. */
export function passwordStatus(hash: string): string {
  if (hash === '!!') return 'not_set';
  if (hash.startsWith('!') || hash.startsWith('*')) return 'locked';
  if (hash === '') return 'empty';
  return 'active';
}

export function hashAlgorithm(hash: string): string {
  const h = hash.replace(/^!+/, '');
  const m = /^\$([^$]+)\$/.exec(h);
  if (m) return HASH_ALGORITHMS[m[1]!] ?? m[1]!;
  if (/^[./0-9A-Za-z]{13}$/.test(h)) return 'des';
  return '';
}

const num = (v: string | undefined) => (v === undefined || v === '' || !/^-?\d+$/.test(v) ? null : Number(v));

export function parseShadowRows(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of lines(text)) {
    if (!line || line.startsWith('#') || line.startsWith('+') || line.startsWith('-')) continue;
    const f = line.split(':');
    if (f.length < 2 || !f[0]) continue;
    const hash = f[1]!;
    rows.push({
      password_status: passwordStatus(hash), hash_alg: hashAlgorithm(hash),
      last_change: num(f[2]), min: num(f[3]), max: num(f[4]), warning: num(f[5]), inactive: num(f[6]), expire: num(f[7]), flag: num(f[8]),
      username: f[0],
    });
  }
  return rows;
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const text = readTextSync(ctx.root, '/etc/shadow');
    if (text === undefined) { ctx.warn('/etc/shadow is missing or unreadable'); return; }
    const names = ctx.equalsValues('username')?.map(String);
    for (const row of parseShadowRows(text)) if (!names || names.includes(row.username as string)) yield row;
  },
};
