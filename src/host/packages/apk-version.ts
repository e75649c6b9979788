/**
 * Alpine apk version ordering, a faithful port of apk-tools 2.x `apk_version_compare`
 * (src/version.c): digit{.digit}...{letter}{_suffix{number}}...{-r#}. Pre-release suffixes
 * (_alpha, _beta, _pre, _rc) sort before the plain version, post-release ones (_cvs, _svn,
 * _git, _hg, _p) after it; a component with leading zeros (".01") compares as a fraction.
 * The quirks of the original are kept on purpose (e.g. "1.0" < "1.0_alpha", as apk says).
 */

const enum Token {
  Invalid = -1,
  DigitOrZero = 0,
  Digit = 1,
  Letter = 2,
  Suffix = 3,
  SuffixNo = 4,
  RevisionNo = 5,
  End = 6,
}

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

/** A cursor over a version string: apk's `apk_blob_t`. */
interface Cursor {
  s: string;
  pos: number;
}

const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
const isLower = (ch: string | undefined) => ch !== undefined && ch >= 'a' && ch <= 'z';
const remaining = (c: Cursor) => c.s.length - c.pos;

function nextToken(type: Token, c: Cursor): Token {
  let n: Token = Token.Invalid;
  const ch = c.s[c.pos];
  if (remaining(c) <= 0 || ch === '\0') {
    n = Token.End;
  } else if ((type === Token.Digit || type === Token.DigitOrZero) && isLower(ch)) {
    n = Token.Letter;
  } else if (type === Token.Letter && isDigit(ch)) {
    n = Token.Digit;
  } else if (type === Token.Suffix && isDigit(ch)) {
    n = Token.SuffixNo;
  } else {
    switch (ch) {
      case '.': n = Token.DigitOrZero; break;
      case '_': n = Token.Suffix; break;
      case '-':
        if (remaining(c) > 1 && c.s[c.pos + 1] === 'r') {
          n = Token.RevisionNo;
          c.pos++;
        } else n = Token.Invalid;
        break;
    }
    c.pos++;
  }
  if (n < type) {
    if (!((n === Token.DigitOrZero && type === Token.Digit) || (n === Token.Suffix && type === Token.SuffixNo) || (n === Token.Digit && type === Token.Letter))) {
      n = Token.Invalid;
    }
  }
  return n;
}

/** The decimal number at the cursor (not consumed) and how many digits it has. */
function readNumber(c: Cursor): [number, number] {
  let v = 0;
  let i = 0;
  while (c.pos + i < c.s.length && isDigit(c.s[c.pos + i])) {
    v = v * 10 + (c.s.charCodeAt(c.pos + i) - 48);
    i++;
  }
  return [v, i];
}

/** Reads one token's value at the cursor; returns [value, type of the next token]. */
function getToken(type: Token, c: Cursor): [number, Token] {
  let v = 0;
  let i = 0;
  let nt: Token = Token.Invalid;
  const len = remaining(c);
  if (len <= 0) return [0, Token.End];
  const at = (k: number) => c.s[c.pos + k];
  switch (type) {
    case Token.DigitOrZero:
      // leading zero digits get a special treatment
      if (at(i) === '0') {
        while (i < len && at(i) === '0') i++;
        nt = Token.Digit;
        v = -i;
        break;
      }
      [v, i] = readNumber(c);
      break;
    case Token.Digit:
    case Token.SuffixNo:
    case Token.RevisionNo:
      [v, i] = readNumber(c);
      break;
    case Token.Letter:
      v = c.s.charCodeAt(c.pos + i);
      i++;
      break;
    case Token.Suffix: {
      const rest = c.s.slice(c.pos);
      const pre = PRE_SUFFIXES.findIndex((s) => rest.startsWith(s));
      if (pre >= 0) {
        i = PRE_SUFFIXES[pre]!.length;
        v = pre - PRE_SUFFIXES.length;
        break;
      }
      const post = POST_SUFFIXES.findIndex((s) => rest.startsWith(s));
      if (post >= 0) {
        i = POST_SUFFIXES[post]!.length;
        v = post;
        break;
      }
      return [-1, Token.Invalid];
    }
    default:
      return [-1, Token.Invalid];
  }
  c.pos += i;
  let next: Token;
  if (remaining(c) === 0) next = Token.End;
  else if (nt !== Token.Invalid) next = nt;
  else next = nextToken(type, c);
  return [v, next];
}

/** True when apk accepts the string as a version (apk_version_validate). */
export function isValidApkVersion(version: string): boolean {
  const c: Cursor = { s: version, pos: 0 };
  let t: Token = Token.Digit;
  while (t !== Token.End && t !== Token.Invalid) t = getToken(t, c)[1];
  return t === Token.End;
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b` in apk's order. */
export function compareApkVersions(a: string, b: string): number {
  const ca: Cursor = { s: a, pos: 0 };
  const cb: Cursor = { s: b, pos: 0 };
  let at: Token = Token.Digit;
  let bt: Token = Token.Digit;
  let av = 0;
  let bv = 0;
  while (at === bt && at !== Token.End && at !== Token.Invalid && av === bv) {
    [av, at] = getToken(at, ca);
    [bv, bt] = getToken(bt, cb);
  }
  if (av < bv) return -1;
  if (av > bv) return 1;
  if (at === bt) return 0;
  // leading components are equal: the longer version is greater unless what follows is a
  // pre-release suffix
  if (at === Token.Suffix && getToken(at, { ...ca })[0] < 0) return -1;
  if (bt === Token.Suffix && getToken(bt, { ...cb })[0] < 0) return 1;
  if (at > bt) return -1;
  if (bt > at) return 1;
  return 0;
}
