/**
 * osquery's version_compare(a, b[, flavor]) (sqlite_version.cpp): its own segment-wise
 * comparison of version strings, not dpkg's or rpm's algorithm (the DPKG / RHEL / ARCH flavors
 * only switch on epoch, delimiter precedence and tilde/caret rules), so results are osquery's
 * on the same strings. The VERSION / VERSION_DPKG / VERSION_RHEL / VERSION_ARCH collations
 * are not provided: better-sqlite3 cannot register a collation.
 */
import type Database from 'better-sqlite3';
import { DETERMINISTIC, type SqlArg } from './values.js';

interface Flavor {
  epoch: boolean;
  delimiterPrecedence: boolean;
  compareRemaining: boolean;
  remainderPrecedence: boolean;
}

const PLAIN: Flavor = { epoch: false, delimiterPrecedence: false, compareRemaining: false, remainderPrecedence: false };
const FLAVORS: Record<string, Flavor> = {
  ARCH: { epoch: true, delimiterPrecedence: false, compareRemaining: true, remainderPrecedence: true },
  DPKG: { epoch: true, delimiterPrecedence: true, compareRemaining: false, remainderPrecedence: false },
  RHEL: { epoch: true, delimiterPrecedence: true, compareRemaining: true, remainderPrecedence: false },
};

/** Delimiters rank ~ < - < ^ < . < :; every other character is 0 (part of a segment). */
const DELIMITER_RANK: Record<string, number> = { '~': 1, '-': 2, '^': 3, '.': 4, ':': 5 };
const rank = (c: string | undefined): number => (c === undefined ? 0 : DELIMITER_RANK[c] ?? 0);
const code = (s: string, i: number): number => s.charCodeAt(i);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** With an epoch on one side only, that side is newer; on both, the later colon wins. */
function compareEpoch(l: string, r: string): number {
  const le = l.indexOf(':');
  const re = r.indexOf(':');
  if (le >= 0 && re >= 0) return le - re;
  if (le >= 0) return 1;
  if (re >= 0) return -1;
  return 0;
}

/** One version is a prefix-length shorter: decide by what follows in the longer one. */
function compareRemainder(l: string, r: string, pos: number, diff: number, f: Flavor): number {
  const decide = (shorter: string, longer: string, sign: number): number | undefined => {
    if (shorter.length !== pos) return undefined;
    const next = longer[pos];
    if (f.compareRemaining) {
      if (next === '~') return sign;
      if (next === '-') return 0;
      if (next === '^') return -sign;
      if (diff !== 0 && (!f.remainderPrecedence || !isDigit(shorter[pos - 1]))) return diff;
    } else if (diff !== 0 && rank(next) > 0) {
      return diff;
    }
    return undefined;
  };
  return decide(l, r, 1) ?? decide(r, l, -1) ?? l.length - r.length;
}

export function compareVersions(l: string, r: string, f: Flavor = PLAIN): number {
  if (l.length === 0 || r.length === 0) return l.length === r.length ? 0 : l.length === 0 ? -1 : 1;
  if (l === r) return 0;
  if (f.epoch) {
    const e = compareEpoch(l, r);
    if (e !== 0) return e;
  }
  let firstDiff = 0;
  const min = Math.min(l.length, r.length);
  for (let i = 0; i < min; i++) {
    const ld = rank(l[i]);
    const rd = rank(r[i]);
    if (ld === 0 && rd === 0) {
      if (firstDiff === 0) firstDiff = code(l, i) - code(r, i);
      continue;
    }
    if (ld === 0) return 1;
    if (rd === 0) return -1;
    if (firstDiff !== 0) return firstDiff;
    if (f.delimiterPrecedence && ld !== rd) return ld - rd;
  }
  if (l.length === r.length) return firstDiff;
  return compareRemainder(l, r, min, firstDiff, f);
}

export function registerVersionFunctions(db: Database.Database): void {
  db.function('version_compare', { ...DETERMINISTIC, varargs: true }, (...args: SqlArg[]) => {
    if (args.length < 2 || typeof args[0] !== 'string' || typeof args[1] !== 'string') throw new Error('Must provide two version strings to compare.');
    let flavor = PLAIN;
    if (args.length > 2) {
      if (typeof args[2] !== 'string') throw new Error('The optional third parameter is not a string.');
      const named = FLAVORS[args[2].toUpperCase()];
      if (!named) throw new Error('The optional third parameter does not match one of: (ARCH, DPKG, RHEL).');
      flavor = named;
    }
    return BigInt(Math.sign(compareVersions(args[0], args[1], flavor)));
  });
}
