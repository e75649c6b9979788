/** Options of the `config` check type: an effective value in a parsed configuration file. */
import { z } from 'zod';
import { comparisonFields, comparisonProblems } from '../common/comparison.js';
import { SSHD_DOCUMENTED_KEYWORDS } from '../../../host/sshd-keywords.js';
import { PAM_TYPES } from '../../../host/pam.js';
import { nearestNames } from '../../../core/nearest-names.js';

const SSHD_KEYWORD_SET = new Set(SSHD_DOCUMENTED_KEYWORDS.map((k) => k.toLowerCase()));

export const CONFIG_FORMATS = ['sshd', 'login_defs', 'sysctl', 'keyvalue', 'ini', 'pam', 'pwquality', 'aide'] as const;
export type ConfigFormat = (typeof CONFIG_FORMATS)[number];

/** The file each format reads when a control gives no `path`. */
export const DEFAULT_PATHS: Partial<Record<ConfigFormat, string>> = {
  sshd: '/etc/ssh/sshd_config',
  login_defs: '/etc/login.defs',
  pwquality: '/etc/security/pwquality.conf',
  aide: '/etc/aide/aide.conf',
};

const sshdMatchSchema = z.object({
  user: z.string().optional().describe('User name of the connection (Match User, and Match Group through <root>/etc/passwd and /etc/group).'),
  host: z.string().optional().describe('Client host name (Match Host).'),
  addr: z.string().optional().describe('Client IP address (Match Address).'),
  laddr: z.string().optional().describe('Local address the client connected to (Match LocalAddress).'),
  lport: z.number().int().min(1).max(65535).optional().describe('Local port the client connected to (Match LocalPort).'),
  rdomain: z.string().optional().describe('Routing domain (Match RDomain).'),
}).strict().describe('sshd only: evaluate for a connection with these properties, applying matching Match blocks as `sshd -T -C` does. Without it the global value applies (or a Match All block\'s, as with plain `sshd -T`).');

export const configSchema = z.object({
  format: z.enum(CONFIG_FORMATS).describe(
    'File format: sshd (sshd_config with Include, Match, built-in defaults), login_defs, sysctl (one sysctl.d-style file, or without path the whole persisted set), ' +
    'keyvalue (KEY=VALUE / shell variables, e.g. /etc/default/*), ini ([section] key=value, systemd drop-ins), pam (PAM module lines), ' +
    'pwquality (libpwquality as pam_pwquality applies it: pwquality.conf.d/*.conf, then pwquality.conf, then the pam_pwquality arguments in pam_file), ' +
    'aide (AIDE selection lines with group definitions and @@include / @@x_include: key is a file path, the value its attributes, e.g. p+i+n+u+g+s+b+acl+xattrs+sha512).'),
  path: z.string().regex(/^\//, 'path must be an absolute host path').optional().describe(
    'Host path of the file. Default: /etc/ssh/sshd_config for sshd, /etc/login.defs for login_defs, every sysctl.d file for sysctl; required for keyvalue, ini and pam.'),
  key: z.string().min(1).describe(
    'The setting: a keyword (sshd: case-insensitive), variable or sysctl name; for pam the module (pam_pwquality.so or pam_pwquality).'),
  section: z.string().optional().describe('ini only: the [section] the key is in. Without it, keys before any section header.'),
  dropins: z.boolean().default(true).describe(
    'ini only: also apply drop-ins as systemd does: <path>.d/*.conf under /etc, /run, /usr/local/lib and /usr/lib (same-named files in earlier directories win), in name order, after the main file.'),
  pam_type: z.enum(PAM_TYPES).optional().describe('pam only: the management group of the module line (any if not given).'),
  pam_control: z.string().optional().describe('pam only: required control (required, requisite, sufficient, optional, or a [value=action …] string); any if not given.'),
  argument: z.string().optional().describe(
    'pam only: compare this module argument: the value after "name=" (retry=3 gives "3"), or "" for a bare flag (use_authtok). Without it the value is the module\'s whole argument list, so contains / not_contains test flags.'),
  pam_file: z.string().regex(/^\//, 'pam_file must be an absolute host path').optional().describe(
    'pwquality only: the PAM file whose pam_pwquality.so password line may override the configuration files (default /etc/pam.d/common-password).'),
  match: sshdMatchSchema.optional(),
  ...comparisonFields,
  default: z.union([z.string(), z.number(), z.boolean()]).optional().describe(
    'Value assumed when the key is not set anywhere. sshd has built-in defaults (OpenSSH 9.2, as sshd -T reports) used when this is not given; other formats are then "not set", which fails every op but absent.'),
  missing_file: z.enum(['not_applicable', 'fail', 'pass']).default('not_applicable').describe(
    'Status when the configuration file does not exist, e.g. not_applicable for sshd_config when openssh-server is not installed (default).'),
}).strict().superRefine((spec, ctx) => {
  for (const p of comparisonProblems(spec)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  if (!spec.path && !DEFAULT_PATHS[spec.format] && spec.format !== 'sysctl') {
    ctx.addIssue({ code: 'custom', path: ['path'], message: `format "${spec.format}" needs a path` });
  }
  if (spec.format === 'sshd' && !SSHD_KEYWORD_SET.has(spec.key.toLowerCase())) {
    const near = nearestNames(spec.key, SSHD_DOCUMENTED_KEYWORDS);
    ctx.addIssue({ code: 'custom', path: ['key'], message: `"${spec.key}" is not an sshd_config keyword${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}` });
  }
  if (spec.section !== undefined && spec.format !== 'ini') ctx.addIssue({ code: 'custom', path: ['section'], message: 'section applies to format ini only' });
  if (spec.match !== undefined && spec.format !== 'sshd') ctx.addIssue({ code: 'custom', path: ['match'], message: 'match applies to format sshd only' });
  if (spec.pam_file !== undefined && spec.format !== 'pwquality') ctx.addIssue({ code: 'custom', path: ['pam_file'], message: 'pam_file applies to format pwquality only' });
  for (const field of ['pam_type', 'pam_control', 'argument'] as const) {
    if (spec[field] !== undefined && spec.format !== 'pam') ctx.addIssue({ code: 'custom', path: [field], message: `${field} applies to format pam only` });
  }
}).describe('An effective value in a key/value configuration file, compared with what the control wants.');

export type ConfigSpec = z.infer<typeof configSchema>;
