/** Options of the `accounts` check type: one named rule over passwd / shadow / group / gshadow. */
import { z } from 'zod';

export const ACCOUNT_RULES = [
  'only_root_uid_0',
  'root_gid_0',
  'no_empty_passwords',
  'no_legacy_plus_entries',
  'no_duplicate_uids',
  'no_duplicate_gids',
  'no_duplicate_user_names',
  'no_duplicate_group_names',
  'passwd_groups_exist',
  'shadow_group_empty',
  'password_max_days',
  'password_min_days',
  'password_warn_days',
  'password_inactive_days',
  'password_change_in_past',
  'system_accounts_no_login_shell',
  'no_login_accounts_locked',
  'root_path_integrity',
  'home_directories_exist',
  'home_directories_owned',
  'home_directories_mode',
  'dot_files_not_writable',
] as const;
export type AccountRule = (typeof ACCOUNT_RULES)[number];

/** Rules that compare a per-user shadow field with `value`. */
export const AGING_RULES: ReadonlySet<AccountRule> = new Set(['password_max_days', 'password_min_days', 'password_warn_days', 'password_inactive_days']);

export const DEFAULT_NOLOGIN_SHELLS = ['/usr/sbin/nologin', '/sbin/nologin', '/bin/false', '/usr/bin/false'];

export const accountsSchema = z.object({
  rule: z.enum(ACCOUNT_RULES).describe(
    'The rule: only_root_uid_0, root_gid_0, no_empty_passwords (shadow), no_legacy_plus_entries (passwd, shadow, group, gshadow), ' +
    'no_duplicate_uids / gids / user_names / group_names, passwd_groups_exist (every primary gid is in group), shadow_group_empty ' +
    '(group "shadow" has no members and is no one\'s primary group), password_max_days (<= value), password_min_days (>= value), ' +
    'password_warn_days (>= value), password_inactive_days (<= value, set), password_change_in_past (no last-change date in the future) — ' +
    'the aging rules apply to users with a usable password hash —, system_accounts_no_login_shell (uid < UID_MIN, except root, sync, shutdown, halt), ' +
    'root_path_integrity (every directory root\'s PATH can hold, from login.defs ENV_SUPATH and the PATH assignments of the files a root login shell reads: ' +
    'absolute, existing, owned by root, not group or world writable; no empty or relative entry), ' +
    'no_login_accounts_locked (every account but root whose shell is not a login shell — a nologin_shells entry, or not in /etc/shells — has a locked password), ' +
    'home_directories_exist / home_directories_owned / home_directories_mode / dot_files_not_writable (interactive users: a login shell).'),
  value: z.number().int().min(-1).optional().describe('The number the aging rules compare with (days). Required by password_max_days, password_min_days, password_warn_days, password_inactive_days.'),
  mode: z.string().regex(/^0?[0-7]{3,4}$/, 'mode must be octal, e.g. "0750"').default('0755').describe(
    'home_directories_mode: the most permissive mode a home directory may have (default 0755: not group or world writable; CIS level 1 asks 0750).'),
  exclude_users: z.array(z.string().min(1)).default([]).describe('User names the rule ignores (e.g. accounts an exception covers).'),
  nologin_shells: z.array(z.string().regex(/^\//)).default(DEFAULT_NOLOGIN_SHELLS).describe(
    'Shells that mean "no login". A user whose shell is one of these is not interactive; system accounts must have one.'),
  uid_min: z.number().int().nonnegative().optional().describe('First uid of regular users. Default: UID_MIN from <root>/etc/login.defs, else 1000.'),
}).strict().superRefine((spec, ctx) => {
  if (AGING_RULES.has(spec.rule) && spec.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `rule "${spec.rule}" needs a value (days)` });
  if (!AGING_RULES.has(spec.rule) && spec.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `rule "${spec.rule}" takes no value` });
}).describe('A rule over the accounts of the root: passwd, shadow, group and gshadow, with offending entries as file:line evidence.');

export type AccountsSpec = z.infer<typeof accountsSchema>;
