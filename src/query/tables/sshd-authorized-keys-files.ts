/**
 * Where sshd looks for a user's authorized keys: the global `AuthorizedKeysFile` of
 * /etc/ssh/sshd_config (with its Include files, first value wins as in sshd; directives
 * inside Match blocks are conditional and left out), expanded for one user (%h, %u, %U, %%;
 * relative paths are under the home directory). Synchronous, for the authorized_keys table;
 * the full parser with Match evaluation is src/audit/checks/config/formats/sshd-config.ts.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import type { HostRoot } from '../../core/host-root.js';
import { parseSshdLine } from '../../audit/checks/config/formats/sshd-config.js';
import { lines, listDirSync, readTextSync, statSync } from './host-files.js';

/** OpenSSH's default: both files in ~/.ssh. */
export const DEFAULT_AUTHORIZED_KEYS_FILES = ['.ssh/authorized_keys', '.ssh/authorized_keys2'];
const MAX_INCLUDE_DEPTH = 16;

/** Paths matching an Include pattern, sorted as glob(3) does. */
function includeMatches(root: HostRoot, pattern: string): string[] {
  const dir = path.posix.dirname(pattern);
  const base = path.posix.basename(pattern);
  if (!/[*?[]/.test(base)) return [pattern];
  const isMatch = picomatch(base, { dot: false });
  return listDirSync(root, dir).filter((n) => isMatch(n)).map((n) => `${dir}/${n}`);
}

function firstValue(root: HostRoot, file: string, depth: number): string[] | undefined {
  if (depth > MAX_INCLUDE_DEPTH) return undefined;
  const text = readTextSync(root, file);
  if (text === undefined) return undefined;
  let lineNo = 0;
  for (const raw of lines(text)) {
    lineNo++;
    let parsed;
    try { parsed = parseSshdLine(raw, file, lineNo); } catch { continue; } // a malformed line: sshd would refuse it; skip
    if (!parsed) continue;
    const keyword = parsed.written.toLowerCase();
    if (keyword === 'match') return undefined; // the rest of this file is conditional
    if (keyword === 'include') {
      for (const arg of parsed.args) {
        const pattern = arg.startsWith('/') ? arg : `/etc/ssh/${arg}`;
        for (const f of includeMatches(root, pattern)) {
          if (statSync(root, f)?.isDirectory()) continue;
          const v = firstValue(root, f, depth + 1);
          if (v) return v;
        }
      }
      continue;
    }
    if (keyword === 'authorizedkeysfile' && parsed.args.length > 0) return parsed.args;
  }
  return undefined;
}

/** The configured AuthorizedKeysFile patterns (unexpanded); [] for `none`. */
export function authorizedKeysPatterns(root: HostRoot): string[] {
  const value = firstValue(root, '/etc/ssh/sshd_config', 0) ?? DEFAULT_AUTHORIZED_KEYS_FILES;
  return value.length === 1 && value[0]!.toLowerCase() === 'none' ? [] : value;
}

/** One pattern for one user: %h home, %u name, %U uid, %% a percent sign; relative to the home. */
export function expandForUser(pattern: string, user: { name: string; uid: number; home: string }): string {
  const home = user.home.replace(/\/$/, '') || '/';
  const expanded = pattern.replace(/%([%hUu])/g, (_, c: string) => (c === '%' ? '%' : c === 'h' ? home : c === 'u' ? user.name : String(user.uid)));
  return expanded.startsWith('/') ? path.posix.normalize(expanded) : path.posix.join(home, expanded);
}
