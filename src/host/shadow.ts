/**
 * /etc/shadow (shadow(5)): password hashes and aging. Also the one vocabulary for what a
 * password field says (`passwordState`), shared by the accounts check, the shadow table and
 * gshadow's group passwords, and the hash algorithm a crypt(3) hash names.
 */
import { parseColonFile, type AccountFile } from './colon-file.js';

export const SHADOW_PATH = '/etc/shadow';

export interface ShadowEntry {
  name: string;
  /** the password hash field as written ("", "*", "!", "!!", "!$6$…", "$y$…") */
  hash: string;
  /** days since 1970-01-01 of the last change; 0 = must change at next login; undefined = empty field */
  lastChange?: number;
  minDays?: number;
  maxDays?: number;
  warnDays?: number;
  inactiveDays?: number;
  /** account expiry, days since 1970-01-01 */
  expire?: number;
  /** the reserved ninth field */
  flag?: number;
  line: number;
}

const NUMERIC_FIELDS = ['lastChange', 'minDays', 'maxDays', 'warnDays', 'inactiveDays', 'expire', 'flag'] as const;

/** Exactly 9 fields; the numeric ones empty or integers. */
export function parseShadow(text: string, path = SHADOW_PATH): AccountFile<ShadowEntry> {
  return parseColonFile(text, path, 9, (f, line) => {
    const e: ShadowEntry = { name: f[0]!, hash: f[1]!, line };
    for (const [i, key] of NUMERIC_FIELDS.entries()) {
      const value = f[i + 2]!;
      if (value === '') continue;
      const n = Number(value);
      if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n)) return `${key} is not a number: ${JSON.stringify(value)}`;
      e[key] = n;
    }
    return e;
  });
}

/**
 * What a password field says, in osquery's words (the shadow table reports them as they are):
 * "" empty: no password at all, anyone may log in; "!!" not_set: never given one (useradd's
 * placeholder); a leading "!" or "*" locked (including "*LK*", "!$6$…"); anything else active,
 * a hash a password can match. not_set is as unusable as locked: see `passwordUsable`.
 */
export type PasswordState = 'empty' | 'not_set' | 'locked' | 'active';

export function passwordState(hash: string): PasswordState {
  if (hash === '!!') return 'not_set';
  if (hash.startsWith('!') || hash.startsWith('*')) return 'locked';
  if (hash === '') return 'empty';
  return 'active';
}

/** Whether no password can match the field (locked or never set). */
export function passwordLocked(state: PasswordState): boolean {
  return state === 'locked' || state === 'not_set';
}

/** crypt(3) prefixes (`$id$`) to algorithm names. */
const HASH_ALGORITHMS: Record<string, string> = {
  '1': 'md5', '2a': 'bcrypt', '2b': 'bcrypt', '2y': 'bcrypt', '5': 'sha256', '6': 'sha512',
  'y': 'yescrypt', 'gy': 'gost-yescrypt', '7': 'scrypt', 'sha1': 'sha1', 'md5': 'sunmd5',
};

/** The algorithm of a hash (a lock prefix "!" ignored); "des" for a 13-character traditional hash, "" when none. */
export function hashAlgorithm(hash: string): string {
  const h = hash.replace(/^!+/, '');
  const m = /^\$([^$]+)\$/.exec(h);
  if (m) return HASH_ALGORITHMS[m[1]!] ?? m[1]!;
  if (/^[./0-9A-Za-z]{13}$/.test(h)) return 'des';
  return '';
}
