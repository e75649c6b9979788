/**
 * Where sshd looks for a user's authorized keys: `AuthorizedKeysFile` as sshd_config (with its
 * Includes and Match blocks, read by sshd-config.ts) sets it for a plain `sshd -T`, expanded
 * for one user (%h, %u, %U, %%; relative paths are under the home directory). Used by the
 * authorized_keys table; the audit reads the same value through its `config` check.
 */
import path from 'node:path';
import type { HostRoot } from '../core/host-root.js';
import { toSpyglassError, type SpyglassError } from '../core/errors.js';
import { loadSshdConfigSync, sshdEffectiveValue, type SshdFile } from './sshd-config.js';
import { SSHD_KEYWORDS } from './sshd-keywords.js';

export const SSHD_CONFIG_PATH = '/etc/ssh/sshd_config';

/** OpenSSH's default: both files in ~/.ssh. */
export const DEFAULT_AUTHORIZED_KEYS_FILES = SSHD_KEYWORDS.authorizedkeysfile!.default!.split(' ');

/** The configured AuthorizedKeysFile patterns (unexpanded); `none` entries dropped, as sshd skips them. */
export function authorizedKeysPatterns(config: SshdFile | undefined): string[] {
  const set = config ? sshdEffectiveValue(config, 'AuthorizedKeysFile').from[0]?.args : undefined;
  return (set ?? DEFAULT_AUTHORIZED_KEYS_FILES).filter((p) => p.toLowerCase() !== 'none');
}

/**
 * The root's AuthorizedKeysFile patterns. A configuration sshd would refuse (a malformed line,
 * an unreadable include) gives sshd's defaults and the error, for the caller to report.
 */
export function readAuthorizedKeysPatternsSync(root: HostRoot): { patterns: string[]; problem?: SpyglassError } {
  try {
    return { patterns: authorizedKeysPatterns(loadSshdConfigSync(root, SSHD_CONFIG_PATH)) };
  } catch (err) {
    return { patterns: DEFAULT_AUTHORIZED_KEYS_FILES, problem: toSpyglassError(err, 'io_error', { file: SSHD_CONFIG_PATH }) };
  }
}

/** One pattern for one user: %h home, %u name, %U uid, %% a percent sign; relative to the home. */
export function expandForUser(pattern: string, user: { name: string; uid: number; home: string }): string {
  const home = user.home.replace(/\/$/, '') || '/';
  const expanded = pattern.replace(/%([%hUu])/g, (_, c: string) => (c === '%' ? '%' : c === 'h' ? home : c === 'u' ? user.name : String(user.uid)));
  return expanded.startsWith('/') ? path.posix.normalize(expanded) : path.posix.join(home, expanded);
}
