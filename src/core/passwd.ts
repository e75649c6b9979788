/**
 * Readers for the account databases of a root: /etc/passwd, /etc/shadow, /etc/group and
 * /etc/gshadow, with the line number of every entry (so checks can cite file:line), the legacy
 * NIS `+` / `-` lines kept apart, and malformed lines reported rather than guessed at.
 * Pure parsers (`parsePasswd`, …) plus `readAccountFile(root, kind)` that reads through a
 * HostRoot. Used by the `accounts` check type; SQL tables (users, groups, shadow) may reuse it.
 *
 *   const passwd = await readAccountFile(root, 'passwd');   // undefined when the file is absent
 *   for (const u of passwd?.entries ?? []) console.log(u.name, u.uid, `${passwd.path}:${u.line}`);
 */
import type { HostRoot } from './host-root.js';

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

export interface ShadowEntry {
  name: string;
  /** the password hash field as written ("", "*", "!", "!$6$…", "$y$…") */
  hash: string;
  /** days since 1970-01-01 of the last change; 0 = must change at next login; undefined = empty field */
  lastChange?: number;
  minDays?: number;
  maxDays?: number;
  warnDays?: number;
  inactiveDays?: number;
  /** account expiry, days since 1970-01-01 */
  expire?: number;
  line: number;
}

export interface GroupEntry {
  name: string;
  password: string;
  gid: number;
  members: string[];
  line: number;
}

export interface GshadowEntry {
  name: string;
  password: string;
  admins: string[];
  members: string[];
  line: number;
}

/** A NIS compatibility line (`+`, `+name`, `-name`, `+@netgroup`), kept as written. */
export interface LegacyEntry { text: string; line: number }
/** A line that is not a valid entry, with the reason. */
export interface MalformedLine { text: string; line: number; reason: string }

export interface AccountFile<T> {
  /** host path, e.g. "/etc/passwd" */
  path: string;
  entries: T[];
  legacy: LegacyEntry[];
  malformed: MalformedLine[];
}

export type AccountFileKind = 'passwd' | 'shadow' | 'group' | 'gshadow';

export const ACCOUNT_FILE_PATHS: Record<AccountFileKind, string> = {
  passwd: '/etc/passwd', shadow: '/etc/shadow', group: '/etc/group', gshadow: '/etc/gshadow',
};

interface KindMap { passwd: PasswdEntry; shadow: ShadowEntry; group: GroupEntry; gshadow: GshadowEntry }

const ID = /^\d+$/;

function optionalNumber(field: string | undefined): number | undefined {
  if (field === undefined || field === '') return undefined;
  const n = Number(field);
  return Number.isInteger(n) ? n : undefined;
}

function list(field: string | undefined): string[] {
  return (field ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Splits a colon file into lines, handing each entry line (with its number) to `parse`. */
function parseColonFile<T>(text: string, path: string, fieldCount: number, parse: (f: string[], line: number) => T | string): AccountFile<T> {
  const out: AccountFile<T> = { path, entries: [], legacy: [], malformed: [] };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const line = i + 1;
    const text = raw.replace(/\r$/, '');
    if (text.trim() === '' || text.startsWith('#')) return;
    if (text.startsWith('+') || text.startsWith('-')) { out.legacy.push({ text, line }); return; }
    const f = text.split(':');
    if (f.length !== fieldCount) { out.malformed.push({ text, line, reason: `${f.length} fields, expected ${fieldCount}` }); return; }
    if (!f[0]) { out.malformed.push({ text, line, reason: 'empty name' }); return; }
    const entry = parse(f, line);
    if (typeof entry === 'string') out.malformed.push({ text, line, reason: entry });
    else out.entries.push(entry);
  });
  return out;
}

export function parsePasswd(text: string, path = ACCOUNT_FILE_PATHS.passwd): AccountFile<PasswdEntry> {
  return parseColonFile(text, path, 7, (f, line) => {
    if (!ID.test(f[2]!) || !ID.test(f[3]!)) return 'uid and gid must be numbers';
    return { name: f[0]!, password: f[1]!, uid: Number(f[2]), gid: Number(f[3]), gecos: f[4]!, home: f[5]!, shell: f[6]!, line };
  });
}

export function parseShadow(text: string, path = ACCOUNT_FILE_PATHS.shadow): AccountFile<ShadowEntry> {
  return parseColonFile(text, path, 9, (f, line) => {
    const e: ShadowEntry = { name: f[0]!, hash: f[1]!, line };
    const fields: [keyof ShadowEntry, string | undefined][] = [
      ['lastChange', f[2]], ['minDays', f[3]], ['maxDays', f[4]], ['warnDays', f[5]], ['inactiveDays', f[6]], ['expire', f[7]],
    ];
    for (const [key, value] of fields) {
      const n = optionalNumber(value);
      if (value !== '' && n === undefined) return `${key} is not a number: ${JSON.stringify(value)}`;
      if (n !== undefined) (e as unknown as Record<string, number>)[key] = n;
    }
    return e;
  });
}

export function parseGroup(text: string, path = ACCOUNT_FILE_PATHS.group): AccountFile<GroupEntry> {
  return parseColonFile(text, path, 4, (f, line) => {
    if (!ID.test(f[2]!)) return 'gid must be a number';
    return { name: f[0]!, password: f[1]!, gid: Number(f[2]), members: list(f[3]), line };
  });
}

export function parseGshadow(text: string, path = ACCOUNT_FILE_PATHS.gshadow): AccountFile<GshadowEntry> {
  return parseColonFile(text, path, 4, (f, line) => ({ name: f[0]!, password: f[1]!, admins: list(f[2]), members: list(f[3]), line }));
}

const PARSERS: { [K in AccountFileKind]: (text: string, path: string) => AccountFile<KindMap[K]> } = {
  passwd: parsePasswd, shadow: parseShadow, group: parseGroup, gshadow: parseGshadow,
};

/**
 * Reads and parses one account file of the root. undefined when the file does not exist;
 * other problems (permission denied, a directory, a symlink loop) throw SpyglassError.
 */
export async function readAccountFile<K extends AccountFileKind>(root: HostRoot, kind: K): Promise<AccountFile<KindMap[K]> | undefined> {
  const path = ACCOUNT_FILE_PATHS[kind];
  const text = await root.readTextIfExists(path);
  return text === undefined ? undefined : PARSERS[kind](text, path);
}

/** What a shadow hash field says about the password. */
export type PasswordState = 'empty' | 'locked' | 'usable';

/**
 * "" is no password at all (anyone logs in); a field starting with "!" or "*" (including
 * "!!", "*LK*", "!$6$…") cannot be matched by any password; anything else is a usable hash.
 */
export function passwordState(hash: string): PasswordState {
  if (hash === '') return 'empty';
  if (hash.startsWith('!') || hash.startsWith('*')) return 'locked';
  return 'usable';
}
