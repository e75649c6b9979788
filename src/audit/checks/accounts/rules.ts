/**
 * The rules of the `accounts` check type, one function each. A rule returns the offending
 * entries as evidence (file:line, the entry with any password hash redacted, what was wanted)
 * and a phrase saying what it examined, for the pass summary.
 */
import type { Stats } from 'node:fs';
import { toSpyglassError } from '../../../core/errors.js';
import type { AccountFile } from '../../../host/account-files.js';
import type { PasswdEntry } from '../../../host/passwd.js';
import { passwordLocked, passwordState, type ShadowEntry } from '../../../host/shadow.js';
import type { CheckContext, Evidence } from '../../check.js';
import type { AccountRule, AccountsSpec } from './schema.js';
import { accountFile, interactiveUsers, requiredAccountFile, uidMin } from './account-data.js';
import { rootPathEntries } from './root-path.js';

export interface RuleResult {
  offenders: Evidence[];
  /** what was examined, e.g. "23 users" */
  examined: string;
  /** extra evidence shown with a pass (e.g. where UID_MIN came from) */
  notes?: Evidence[];
  /** set when the rule has nothing to examine on this root (e.g. no shadow group): why */
  notApplicable?: string;
}

type Rule = (spec: AccountsSpec, ctx: CheckContext) => Promise<RuleResult>;

const SYSTEM_ACCOUNTS_WITH_SHELLS = ['root', 'sync', 'shutdown', 'halt'];

function passwdText(u: PasswdEntry): string {
  const pw = u.password === '' || u.password === 'x' || u.password === '*' ? u.password : '<hash>';
  return [u.name, pw, u.uid, u.gid, u.gecos, u.home, u.shell].join(':');
}

function shadowText(s: ShadowEntry): string {
  const state = passwordState(s.hash);
  const hash = state === 'active' ? '<hash>' : passwordLocked(state) ? s.hash.slice(0, s.hash.startsWith('!!') ? 2 : 1) + (s.hash.length > 2 ? '<hash>' : '') : '';
  const n = (v: number | undefined) => (v === undefined ? '' : String(v));
  return [s.name, hash, n(s.lastChange), n(s.minDays), n(s.maxDays), n(s.warnDays), n(s.inactiveDays), n(s.expire), ''].join(':');
}

const at = (file: { path: string }, entry: { line: number }) => ({ source: file.path, line: entry.line });

/** Entries grouped by a key, keeping only keys seen more than once. */
function duplicates<T>(entries: T[], key: (e: T) => string | number): T[][] {
  const groups = new Map<string | number, T[]>();
  for (const e of entries) groups.set(key(e), [...(groups.get(key(e)) ?? []), e]);
  return [...groups.values()].filter((g) => g.length > 1);
}

function duplicateRule<K extends 'passwd' | 'group'>(kind: K, what: string, key: (e: any) => string | number, show: (e: any) => string): Rule {
  return async (spec, ctx) => {
    const file = await requiredAccountFile(ctx, kind);
    const entries = (file.entries as { name: string; line: number }[]).filter((e) => !spec.exclude_users.includes(e.name));
    const offenders: Evidence[] = [];
    for (const group of duplicates(entries, key)) {
      const lines = group.map((e) => `${e.name}@${e.line}`).join(', ');
      for (const e of group) offenders.push({ ...at(file, e), found: show(e), expected: `a unique ${what}`, note: `${what} ${key(e)} is shared by ${lines}` });
    }
    return { offenders, examined: `${entries.length} entries in ${file.path}` };
  };
}

/** Users whose shadow hash is usable (the password aging rules apply to them). */
async function usersWithPasswords(spec: AccountsSpec, ctx: CheckContext): Promise<{ file: AccountFile<ShadowEntry>; users: ShadowEntry[] }> {
  const file = await requiredAccountFile(ctx, 'shadow');
  return { file, users: file.entries.filter((s) => passwordState(s.hash) === 'active' && !spec.exclude_users.includes(s.name)) };
}

function agingRule(field: 'maxDays' | 'minDays' | 'warnDays' | 'inactiveDays', label: string, ok: (v: number | undefined, want: number) => boolean, wanted: (want: number) => string): Rule {
  return async (spec, ctx) => {
    const { file, users } = await usersWithPasswords(spec, ctx);
    const want = spec.value!;
    const offenders: Evidence[] = [];
    for (const s of users) {
      if (ok(s[field], want)) continue;
      offenders.push({ ...at(file, s), found: shadowText(s), expected: `${label} ${wanted(want)}`, note: `${s.name}: ${label} is ${s[field] === undefined ? 'not set' : s[field]}` });
    }
    return { offenders, examined: `${users.length} users with a password in ${file.path}` };
  };
}

async function homeStat(ctx: CheckContext, home: string): Promise<Stats | undefined> {
  try {
    return await ctx.root.stat(home);
  } catch (err) {
    const e = toSpyglassError(err, 'io_error', { path: home });
    if (e.code === 'not_found' || e.code === 'not_directory') return undefined;
    throw e;
  }
}

/** Interactive users with their home directory's stat (undefined when it does not exist). */
async function homes(spec: AccountsSpec, ctx: CheckContext) {
  const passwd = await requiredAccountFile(ctx, 'passwd');
  const users = await interactiveUsers(ctx, passwd, spec.nologin_shells, spec.exclude_users);
  const out: { user: PasswdEntry; st: Stats | undefined }[] = [];
  for (const user of users) out.push({ user, st: user.home.startsWith('/') ? await homeStat(ctx, user.home) : undefined });
  return { passwd, out, examined: `${users.length} interactive users (a login shell) in ${passwd.path}` };
}

const modeText = (m: number) => (m & 0o7777).toString(8).padStart(4, '0');

export const RULES: Record<AccountRule, Rule> = {
  async only_root_uid_0(spec, ctx) {
    const passwd = await requiredAccountFile(ctx, 'passwd');
    const offenders: Evidence[] = passwd.entries.filter((u) => u.uid === 0 && u.name !== 'root' && !spec.exclude_users.includes(u.name))
      .map((u) => ({ ...at(passwd, u), found: passwdText(u), expected: 'only root has uid 0' }));
    if (!passwd.entries.some((u) => u.name === 'root' && u.uid === 0)) offenders.push({ source: passwd.path, found: 'no root entry with uid 0', expected: 'root has uid 0' });
    return { offenders, examined: `${passwd.entries.length} users in ${passwd.path}` };
  },

  async root_gid_0(_spec, ctx) {
    const passwd = await requiredAccountFile(ctx, 'passwd');
    const root = passwd.entries.find((u) => u.name === 'root');
    if (!root) return { offenders: [{ source: passwd.path, found: 'no root user', expected: 'root with gid 0' }], examined: passwd.path };
    return { offenders: root.gid === 0 ? [] : [{ ...at(passwd, root), found: passwdText(root), expected: 'root\'s primary group is gid 0' }], examined: `root at ${passwd.path}:${root.line}` };
  },

  async no_empty_passwords(spec, ctx) {
    const shadow = await requiredAccountFile(ctx, 'shadow');
    const offenders: Evidence[] = shadow.entries.filter((s) => s.hash === '' && !spec.exclude_users.includes(s.name))
      .map((s) => ({ ...at(shadow, s), found: shadowText(s), expected: 'a password hash or a lock (! or *)', note: `${s.name} logs in without a password` }));
    const passwd = await accountFile(ctx, 'passwd');
    for (const u of passwd?.entries ?? []) {
      if (u.password === '' && !spec.exclude_users.includes(u.name)) offenders.push({ ...at(passwd!, u), found: passwdText(u), expected: 'x (hash in shadow)', note: `${u.name} has an empty password field in passwd` });
    }
    return { offenders, examined: `${shadow.entries.length} entries in ${shadow.path}` };
  },

  async no_legacy_plus_entries(_spec, ctx) {
    const offenders: Evidence[] = [];
    const examined: string[] = [];
    for (const kind of ['passwd', 'shadow', 'group', 'gshadow'] as const) {
      const file = await accountFile(ctx, kind);
      if (!file) continue;
      examined.push(file.path);
      for (const l of file.legacy) offenders.push({ source: file.path, line: l.line, found: l.text.replace(/^([^:]*:)[^:]+/, '$1<hash>'), expected: 'no NIS compatibility (+/-) entries' });
    }
    return { offenders, examined: examined.join(', ') || 'no account files' };
  },

  no_duplicate_uids: duplicateRule('passwd', 'uid', (e: PasswdEntry) => e.uid, passwdText),
  no_duplicate_user_names: duplicateRule('passwd', 'user name', (e: PasswdEntry) => e.name, passwdText),
  no_duplicate_gids: duplicateRule('group', 'gid', (e) => e.gid, (e) => `${e.name}:x:${e.gid}:${e.members.join(',')}`),
  no_duplicate_group_names: duplicateRule('group', 'group name', (e) => e.name, (e) => `${e.name}:x:${e.gid}:${e.members.join(',')}`),

  async passwd_groups_exist(spec, ctx) {
    const passwd = await requiredAccountFile(ctx, 'passwd');
    const group = await requiredAccountFile(ctx, 'group');
    const gids = new Set(group.entries.map((g) => g.gid));
    const offenders = passwd.entries.filter((u) => !gids.has(u.gid) && !spec.exclude_users.includes(u.name))
      .map((u) => ({ ...at(passwd, u), found: passwdText(u), expected: `gid ${u.gid} defined in ${group.path}`, note: `no group with gid ${u.gid}` }));
    return { offenders, examined: `${passwd.entries.length} users against ${group.entries.length} groups` };
  },

  async shadow_group_empty(_spec, ctx) {
    const group = await requiredAccountFile(ctx, 'group');
    const passwd = await requiredAccountFile(ctx, 'passwd');
    const shadow = group.entries.find((g) => g.name === 'shadow');
    if (!shadow) return { offenders: [], examined: group.path, notApplicable: `${group.path} has no shadow group` };
    const offenders: Evidence[] = [];
    if (shadow.members.length) offenders.push({ ...at(group, shadow), found: `shadow:x:${shadow.gid}:${shadow.members.join(',')}`, expected: 'no members', note: `members: ${shadow.members.join(', ')}` });
    for (const u of passwd.entries) if (u.gid === shadow.gid) offenders.push({ ...at(passwd, u), found: passwdText(u), expected: `primary group other than shadow (${shadow.gid})` });
    return { offenders, examined: `group shadow (gid ${shadow.gid}) at ${group.path}:${shadow.line}` };
  },

  password_max_days: agingRule('maxDays', 'maximum password age', (v, w) => v !== undefined && v >= 0 && v <= w, (w) => `<= ${w} days`),
  password_min_days: agingRule('minDays', 'minimum days between changes', (v, w) => (v ?? 0) >= w, (w) => `>= ${w} days`),
  password_warn_days: agingRule('warnDays', 'warning days before expiry', (v, w) => (v ?? 0) >= w, (w) => `>= ${w} days`),
  password_inactive_days: agingRule('inactiveDays', 'inactive days before lock', (v, w) => v !== undefined && v >= 0 && v <= w, (w) => `<= ${w} days (set)`),

  async password_change_in_past(spec, ctx) {
    const { file, users } = await usersWithPasswords(spec, ctx);
    const today = Math.floor(Date.now() / 86_400_000);
    const offenders = users.filter((s) => s.lastChange !== undefined && s.lastChange > today)
      .map((s) => ({ ...at(file, s), found: shadowText(s), expected: `last change on or before day ${today} (today)`, note: `${s.name}: last change ${new Date(s.lastChange! * 86_400_000).toISOString().slice(0, 10)} is in the future` }));
    return { offenders, examined: `${users.length} users with a password in ${file.path}` };
  },

  async system_accounts_no_login_shell(spec, ctx) {
    const passwd = await requiredAccountFile(ctx, 'passwd');
    const min = await uidMin(ctx, spec.uid_min);
    const system = passwd.entries.filter((u) => u.uid < min.value && !SYSTEM_ACCOUNTS_WITH_SHELLS.includes(u.name) && !spec.exclude_users.includes(u.name));
    const offenders = system.filter((u) => !spec.nologin_shells.includes(u.shell))
      .map((u) => ({ ...at(passwd, u), found: passwdText(u), expected: `shell one of ${spec.nologin_shells.join(', ')}`, note: `system account ${u.name} (uid ${u.uid} < UID_MIN ${min.value}) has shell ${u.shell || '(empty: /bin/sh)'}` }));
    return { offenders, examined: `${system.length} system accounts (uid < ${min.value})`, notes: [{ source: min.from, found: `UID_MIN ${min.value}` }] };
  },

  async no_login_accounts_locked(spec, ctx) {
    // passwd -S reports L for a hash starting with ! or *; an account that cannot log in must not keep a usable (or empty) password
    const passwd = await requiredAccountFile(ctx, 'passwd');
    const shadow = await requiredAccountFile(ctx, 'shadow');
    const interactive = new Set((await interactiveUsers(ctx, passwd, spec.nologin_shells, [])).map((u) => u.name));
    const byName = new Map(shadow.entries.map((e) => [e.name, e]));
    const noLogin = passwd.entries.filter((u) => u.name !== 'root' && !interactive.has(u.name) && !spec.exclude_users.includes(u.name));
    const offenders: Evidence[] = [];
    for (const u of noLogin) {
      const s = byName.get(u.name);
      if (!s) { offenders.push({ ...at(passwd, u), found: passwdText(u), expected: `a locked entry in ${shadow.path}`, note: `${u.name} has no ${shadow.path} entry` }); continue; }
      const state = passwordState(s.hash);
      if (passwordLocked(state)) continue;
      offenders.push({ ...at(shadow, s), found: shadowText(s), expected: 'password locked (! or *)', note: `${u.name} has shell ${u.shell || '(empty)'}, not a login shell, and a ${state} password` });
    }
    return { offenders, examined: `${noLogin.length} accounts without a login shell` };
  },

  async root_path_integrity(_spec, ctx) {
    const passwd = await requiredAccountFile(ctx, 'passwd');
    const home = passwd.entries.find((u) => u.name === 'root')?.home || '/root';
    const { entries, filesRead } = await rootPathEntries(ctx.root, home);
    const offenders: Evidence[] = [];
    const seen = new Map<string, string | undefined>();
    for (const e of entries) {
      const where = { source: e.source, line: e.line, found: e.assignment };
      if (e.dir === '') { offenders.push({ ...where, expected: 'no empty entry (it means the current directory)', note: 'empty PATH entry' }); continue; }
      if (!e.dir.startsWith('/')) { offenders.push({ ...where, expected: 'absolute directories only', note: `"${e.dir}" is relative to the current directory` }); continue; }
      if (!seen.has(e.dir)) {
        let problem: string | undefined;
        try {
          const st = await ctx.root.stat(e.dir);
          if (!st.isDirectory()) problem = 'is not a directory';
          else if (st.uid !== 0) problem = `is owned by uid ${st.uid}, not root`;
          else if ((st.mode & 0o022) !== 0) problem = `mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')} is group or world writable`;
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (code !== 'not_found' && code !== 'ENOENT') throw err;
          problem = 'does not exist';
        }
        seen.set(e.dir, problem);
      }
      const problem = seen.get(e.dir);
      if (problem) offenders.push({ ...where, expected: 'a root-owned directory, not group or world writable', note: `${e.dir} ${problem}` });
    }
    return { offenders, examined: `${new Set(entries.map((e) => e.dir)).size} directories of root's PATH in ${filesRead.length} file(s)` };
  },

  async home_directories_exist(spec, ctx) {
    const h = await homes(spec, ctx);
    const offenders = h.out.filter((x) => !x.st || !x.st.isDirectory())
      .map(({ user, st }) => ({ ...at(h.passwd, user), found: passwdText(user), expected: 'home directory exists', note: `${user.home}: ${st ? 'not a directory' : 'does not exist'}` }));
    return { offenders, examined: h.examined };
  },

  async home_directories_owned(spec, ctx) {
    const h = await homes(spec, ctx);
    const offenders = h.out.filter((x) => x.st && x.st.uid !== x.user.uid)
      .map(({ user, st }) => ({ source: user.home, found: `owner uid ${st!.uid}`, expected: `owner ${user.name} (uid ${user.uid})`, note: `home of ${user.name} (${h.passwd.path}:${user.line})` }));
    return { offenders, examined: `${h.out.filter((x) => x.st).length} existing homes of ${h.examined}` };
  },

  async home_directories_mode(spec, ctx) {
    const h = await homes(spec, ctx);
    const allowed = Number.parseInt(spec.mode, 8);
    const offenders = h.out.filter((x) => x.st && (x.st.mode & 0o7777 & ~allowed) !== 0)
      .map(({ user, st }) => ({ source: user.home, found: `mode ${modeText(st!.mode)}`, expected: `mode ${modeText(allowed)} or stricter`, note: `home of ${user.name}: bits ${modeText(st!.mode & ~allowed)} beyond ${modeText(allowed)}` }));
    return { offenders, examined: `${h.out.filter((x) => x.st).length} existing homes of ${h.examined}` };
  },

  async dot_files_not_writable(spec, ctx) {
    const h = await homes(spec, ctx);
    const offenders: Evidence[] = [];
    let files = 0;
    const seen = new Set<string>();
    for (const { user, st } of h.out) {
      if (!st?.isDirectory() || seen.has(user.home)) continue;
      seen.add(user.home);
      for (const name of await ctx.root.listDir(user.home)) {
        if (!name.startsWith('.')) continue;
        const p = `${user.home.replace(/\/$/, '')}/${name}`;
        const fst = await ctx.root.lstatIfExists(p);
        if (!fst || fst.isSymbolicLink()) continue;
        files++;
        if (fst.mode & 0o022) offenders.push({ source: p, found: `mode ${modeText(fst.mode)}`, expected: 'not group or world writable', note: `in the home of ${user.name}` });
      }
    }
    return { offenders, examined: `${files} dot files in ${seen.size} homes` };
  },
};
