/**
 * The account databases of the audited root, read once per audit through `ctx.memo`
 * (keys "accounts:/etc/passwd", …), and the few facts rules share: UID_MIN, login shells.
 */
import { SpyglassError } from '../../../core/errors.js';
import { readAccountFile, ACCOUNT_FILE_PATHS, type AccountEntryOf, type AccountFile, type AccountFileKind } from '../../../host/account-files.js';
import type { PasswdEntry } from '../../../host/passwd.js';
import { LOGIN_DEFS_PATH, loginDefsNumber, readLoginDefs } from '../../../host/login-defs.js';
import type { CheckContext } from '../../check.js';

/** An account file of the root, or undefined when it does not exist (read errors throw). */
export function accountFile<K extends AccountFileKind>(ctx: CheckContext, kind: K): Promise<AccountFile<AccountEntryOf[K]> | undefined> {
  return ctx.memo(`accounts:${ACCOUNT_FILE_PATHS[kind]}`, () => readAccountFile(ctx.root, kind));
}

/** Like accountFile, but a missing file is a SpyglassError 'not_found' naming it. */
export async function requiredAccountFile<K extends AccountFileKind>(ctx: CheckContext, kind: K): Promise<AccountFile<AccountEntryOf[K]>> {
  const file = await accountFile(ctx, kind);
  if (!file) throw new SpyglassError('not_found', `${ACCOUNT_FILE_PATHS[kind]} does not exist in the audited root`, { path: ACCOUNT_FILE_PATHS[kind] });
  return file;
}

/** UID_MIN from <root>/etc/login.defs (default 1000), unless the spec overrides it. */
export async function uidMin(ctx: CheckContext, override: number | undefined): Promise<{ value: number; from: string }> {
  if (override !== undefined) return { value: override, from: 'uid_min option' };
  const found = await ctx.memo('accounts:UID_MIN', async () => loginDefsNumber((await readLoginDefs(ctx.root)) ?? [], 'UID_MIN', 1000));
  return { value: found.value, from: found.line ? `${LOGIN_DEFS_PATH}:${found.line}` : `default (no UID_MIN in ${LOGIN_DEFS_PATH})` };
}

/** Shells listed in <root>/etc/shells, or undefined when the file does not exist. */
export function validShells(ctx: CheckContext): Promise<Set<string> | undefined> {
  return ctx.memo('accounts:/etc/shells', async () => {
    const text = await ctx.root.readTextIfExists('/etc/shells');
    if (text === undefined) return undefined;
    return new Set(text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('/')));
  });
}

/**
 * Interactive users: a shell that is not a "no login" shell and, when <root>/etc/shells
 * exists, is listed there (an empty shell field means /bin/sh, as for login(1)).
 */
export async function interactiveUsers(ctx: CheckContext, passwd: AccountFile<PasswdEntry>, nologin: readonly string[], exclude: readonly string[]): Promise<PasswdEntry[]> {
  const shells = await validShells(ctx);
  return passwd.entries.filter((u) => {
    if (exclude.includes(u.name)) return false;
    const shell = u.shell === '' ? '/bin/sh' : u.shell;
    if (nologin.includes(shell)) return false;
    return shells ? shells.has(shell) : true;
  });
}
