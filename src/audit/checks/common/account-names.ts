/**
 * User and group names of the audited root: maps between names and numeric ids through
 * <root>/etc/passwd and <root>/etc/group (never this machine's NSS), parsed once per audit
 * by src/host (the memo keys are the accounts check's, so the files are parsed once in all).
 */
import { readAccountFile } from '../../../host/account-files.js';
import type { CheckContext } from '../../check.js';

export interface NameTable {
  /** id → first name listed with it */
  nameOf(id: number): string | undefined;
  /** name → id (first entry wins, as getpwnam does with files) */
  idOf(name: string): number | undefined;
}

function nameTable(entries: ReadonlyArray<{ name: string; id: number }>): NameTable {
  const byName = new Map<string, number>();
  const byId = new Map<number, string>();
  for (const { name, id } of entries) {
    if (!byName.has(name)) byName.set(name, id);
    if (!byId.has(id)) byId.set(id, name);
  }
  return { nameOf: (id) => byId.get(id), idOf: (name) => byName.get(name) };
}

/** Users of the root (empty when it has no /etc/passwd). Memoised as "file:/etc/passwd". */
export function rootUsers(ctx: CheckContext): Promise<NameTable> {
  return ctx.memo('file:/etc/passwd', async () => {
    const passwd = await ctx.memo('accounts:/etc/passwd', () => readAccountFile(ctx.root, 'passwd'));
    return nameTable((passwd?.entries ?? []).map((u) => ({ name: u.name, id: u.uid })));
  });
}

/** Groups of the root (empty when it has no /etc/group). Memoised as "file:/etc/group". */
export function rootGroups(ctx: CheckContext): Promise<NameTable> {
  return ctx.memo('file:/etc/group', async () => {
    const group = await ctx.memo('accounts:/etc/group', () => readAccountFile(ctx.root, 'group'));
    return nameTable((group?.entries ?? []).map((g) => ({ name: g.name, id: g.gid })));
  });
}

/** "root(0)" or "1234" when the id has no name. */
export function showId(table: NameTable, id: number): string {
  const name = table.nameOf(id);
  return name === undefined ? String(id) : `${name}(${id})`;
}

/**
 * Whether a numeric id is one of the allowed principals (names or ids). Names unknown to the
 * root match nothing; they are returned so the evidence can say so.
 */
export function idAllowed(table: NameTable, id: number, allowed: ReadonlyArray<string | number>): { ok: boolean; unknownNames: string[] } {
  const unknownNames: string[] = [];
  let ok = false;
  for (const a of allowed) {
    if (typeof a === 'number' || /^\d+$/.test(a)) {
      if (Number(a) === id) ok = true;
      continue;
    }
    const wanted = table.idOf(a);
    if (wanted === undefined) unknownNames.push(a);
    else if (wanted === id) ok = true;
  }
  return { ok, unknownNames };
}
