/**
 * RPM version ordering, exactly as rpm defines it (rpmio/rpmvercmp.c, rpm 4.15+): strings
 * are split into runs of ASCII digits and ASCII letters, every other character separates;
 * `~` sorts before everything (even the end), `^` after the end but before any further
 * segment; numeric runs beat alphabetic ones. EVR comparison: epoch (missing = 0), version,
 * then release only when both sides have one.
 */

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAlnum = (c: number) => isDigit(c) || isAlpha(c);
const TILDE = 126;
const CARET = 94;

/** rpmvercmp(): -1, 0 or 1 as `a` is older than, equal to or newer than `b`. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const at = (s: string, k: number) => (k < s.length ? s.charCodeAt(k) : 0);
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(at(a, i)) && at(a, i) !== TILDE && at(a, i) !== CARET) i++;
    while (j < b.length && !isAlnum(at(b, j)) && at(b, j) !== TILDE && at(b, j) !== CARET) j++;

    // the tilde separator sorts before everything else
    if (at(a, i) === TILDE || at(b, j) === TILDE) {
      if (at(a, i) !== TILDE) return 1;
      if (at(b, j) !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    // the caret sorts after the end of the string but before any other segment
    if (at(a, i) === CARET || at(b, j) === CARET) {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (at(a, i) !== CARET) return 1;
      if (at(b, j) !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;

    let ei = i;
    let ej = j;
    const numeric = isDigit(at(a, i));
    const inRun = numeric ? isDigit : isAlpha;
    while (ei < a.length && inRun(at(a, ei))) ei++;
    while (ej < b.length && inRun(at(b, ej))) ej++;
    // a segment of a differs in kind from b's: numeric beats alphabetic
    if (ej === j) return numeric ? 1 : -1;

    let sa = a.slice(i, ei);
    let sb = b.slice(j, ej);
    if (numeric) {
      sa = sa.replace(/^0+/, '');
      sb = sb.replace(/^0+/, '');
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa < sb ? -1 : 1;
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export interface RpmEvr {
  /** undefined when the version carries no epoch (compares as 0) */
  epoch: number | undefined;
  version: string;
  /** undefined when there is no "-release" part */
  release: string | undefined;
}

/** Parses "[epoch:]version[-release]" as rpm does (the release is after the last '-'). */
export function parseRpmEvr(evr: string): RpmEvr {
  let rest = evr.trim();
  let epoch: number | undefined;
  const colon = rest.indexOf(':');
  if (colon > 0 && /^\d+$/.test(rest.slice(0, colon))) {
    epoch = Number.parseInt(rest.slice(0, colon), 10);
    rest = rest.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  if (dash >= 0) return { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) };
  return { epoch, version: rest, release: undefined };
}

/** Compares two "[epoch:]version[-release]" strings in rpm's order (rpmverCmp semantics). */
export function compareRpmVersions(a: string, b: string): number {
  const va = parseRpmEvr(a);
  const vb = parseRpmEvr(b);
  const ea = va.epoch ?? 0;
  const eb = vb.epoch ?? 0;
  if (ea !== eb) return ea < eb ? -1 : 1;
  const v = rpmvercmp(va.version, vb.version);
  if (v !== 0) return v;
  if (va.release === undefined || vb.release === undefined) return 0;
  return rpmvercmp(va.release, vb.release);
}

/** "E:V-R" with the epoch only when there is one, as rpm -q --qf '%{EVR}' prints it. */
export function formatRpmEvr(epoch: number | undefined, version: string, release: string | undefined): string {
  return `${epoch !== undefined ? `${epoch}:` : ''}${version}${release !== undefined && release !== '' ? `-${release}` : ''}`;
}
