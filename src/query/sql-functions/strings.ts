/**
 * osquery's string functions (sqlite_string.cpp): split, regex_split, regex_match, concat,
 * concat_ws, inet_aton. Pack authors' patterns run on RE2 (linear time), so a query cannot
 * freeze the agent; like osquery, a pattern over 256 bytes or one that does not compile is an
 * error of the query, not NULL.
 */
import type Database from 'better-sqlite3';
import { compileUserRegex, type UserRegex } from '../../core/user-regex.js';
import { argCString, argText, DETERMINISTIC, pick, type SqlArg } from './values.js';

/** osquery's --regex_max_size default. */
const REGEX_MAX_BYTES = 256;

function compileQueryRegex(pattern: string, tooBig: string): UserRegex {
  if (Buffer.byteLength(pattern) > REGEX_MAX_BYTES) throw new Error(tooBig);
  try {
    return compileUserRegex(pattern);
  } catch {
    throw new Error('Invalid regex');
  }
}

/** osquery's split(): on any of the delimiter characters, empty pieces dropped, the rest trimmed. */
function splitOnAny(input: string, delimiters: string): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const ch of input) {
    if (delimiters.includes(ch)) { pieces.push(current); current = ''; } else current += ch;
  }
  pieces.push(current);
  return pieces.filter((p) => p !== '').map((p) => p.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, ''));
}

/**
 * The pieces between matches, as C++'s regex_token_iterator(-1) gives them: an empty piece
 * before a match is kept, an empty piece after the last match is not.
 */
function splitOnRegex(input: string, re: UserRegex): string[] {
  const pieces = re.split(input);
  if (pieces.length > 1 && pieces.at(-1) === '') pieces.pop();
  return pieces;
}

/** osquery's concat: NULLs skipped; concat_ws puts the separator after every value but the last argument. */
function concatWith(separator: string, values: SqlArg[]): string | null {
  if (values.length === 0) return null;
  let out = '';
  values.forEach((v, i) => {
    if (v === null) return;
    out += argText(v)!;
    if (separator !== '' && i + 1 < values.length) out += separator;
  });
  return out;
}

export function registerStringFunctions(db: Database.Database): void {
  db.function('split', DETERMINISTIC, (s: SqlArg, tokens: SqlArg, index: SqlArg) => {
    if (s === null || tokens === null || index === null) return null;
    const delimiters = argCString(tokens)!;
    if (delimiters === '') throw new Error('Invalid input to split function');
    return pick(splitOnAny(argCString(s)!, delimiters), index);
  });
  db.function('regex_split', DETERMINISTIC, (s: SqlArg, pattern: SqlArg, index: SqlArg) => {
    if (s === null || pattern === null || index === null) return null;
    const source = argCString(pattern)!;
    if (source === '') throw new Error('Invalid input to split function');
    return pick(splitOnRegex(argCString(s)!, compileQueryRegex(source, 'Invalid regex')), index);
  });
  /** regex_match(str, pattern, index): group `index` of the first match (0: the whole match; an unmatched group is ''). */
  db.function('regex_match', DETERMINISTIC, (s: SqlArg, pattern: SqlArg, index: SqlArg) => {
    if (s === null || pattern === null || index === null) return null;
    const re = compileQueryRegex(argCString(pattern)!, `Invalid regex: too big, max size is ${REGEX_MAX_BYTES} bytes`);
    const m = re.exec(argCString(s)!);
    return m ? pick([...m].map((g) => g ?? ''), index) : null;
  });
  db.function('concat', { ...DETERMINISTIC, varargs: true }, (...values: SqlArg[]) => concatWith('', values));
  db.function('concat_ws', { ...DETERMINISTIC, varargs: true }, (...args: SqlArg[]) => {
    if (args.length === 0) throw new Error('Missing separator to concat_ws');
    return concatWith(args[0] === null ? '' : argText(args[0]!)!, args.slice(1));
  });
  /** inet_aton: a dotted IPv4 address as its 32-bit number; an IPv6 or unparsable address is NULL. */
  db.function('inet_aton', DETERMINISTIC, (s: SqlArg) => {
    const address = argCString(s);
    if (address === null || address.includes(':')) return null;
    const parts = address.split('.');
    if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
    return parts.reduce((n, p) => n * 256 + Number(p), 0);
  });
}
