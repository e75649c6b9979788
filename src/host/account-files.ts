/**
 * Readers for the account databases of a root: /etc/passwd, /etc/shadow, /etc/group and
 * /etc/gshadow, through HostRoot (async for the audit, sync for the SQL tables). The parsers
 * are in passwd.ts, shadow.ts, group.ts and gshadow.ts.
 *
 *   const passwd = await readAccountFile(root, 'passwd');   // undefined when the file is absent
 *   for (const u of passwd?.entries ?? []) console.log(u.name, u.uid, `${passwd.path}:${u.line}`);
 */
import type { HostRoot } from '../core/host-root.js';
import type { AccountFile } from './colon-file.js';
import { GROUP_PATH, parseGroup, type GroupEntry } from './group.js';
import { GSHADOW_PATH, parseGshadow, type GshadowEntry } from './gshadow.js';
import { PASSWD_PATH, parsePasswd, type PasswdEntry } from './passwd.js';
import { SHADOW_PATH, parseShadow, type ShadowEntry } from './shadow.js';

export type { AccountFile, LegacyEntry, MalformedLine } from './colon-file.js';

export type AccountFileKind = 'passwd' | 'shadow' | 'group' | 'gshadow';

export const ACCOUNT_FILE_PATHS: Record<AccountFileKind, string> = {
  passwd: PASSWD_PATH, shadow: SHADOW_PATH, group: GROUP_PATH, gshadow: GSHADOW_PATH,
};

export interface AccountEntryOf { passwd: PasswdEntry; shadow: ShadowEntry; group: GroupEntry; gshadow: GshadowEntry }

const PARSERS: { [K in AccountFileKind]: (text: string, path: string) => AccountFile<AccountEntryOf[K]> } = {
  passwd: parsePasswd, shadow: parseShadow, group: parseGroup, gshadow: parseGshadow,
};

/**
 * Reads and parses one account file of the root. undefined when the file does not exist;
 * other problems (permission denied, a directory, a symlink loop) throw SpyglassError.
 */
export async function readAccountFile<K extends AccountFileKind>(root: HostRoot, kind: K): Promise<AccountFile<AccountEntryOf[K]> | undefined> {
  const path = ACCOUNT_FILE_PATHS[kind];
  const text = await root.readTextIfExists(path);
  return text === undefined ? undefined : PARSERS[kind](text, path);
}

/** The same, synchronously (SQL tables). */
export function readAccountFileSync<K extends AccountFileKind>(root: HostRoot, kind: K): AccountFile<AccountEntryOf[K]> | undefined {
  const path = ACCOUNT_FILE_PATHS[kind];
  const text = root.readTextIfExistsSync(path);
  return text === undefined ? undefined : PARSERS[kind](text, path);
}
