/**
 * osquery's SQL functions that SQLite lacks, so pack queries that use them run unchanged:
 * split, regex_split, regex_match, inet_aton, to_base64, from_base64, conditional_to_base64.
 * (concat, concat_ws and the math functions are SQLite built-ins.) Semantics follow osquery's
 * sqlite_string / sqlite_encoding / sqlite_network: a bad index or no match is NULL.
 */
import type Database from 'better-sqlite3';
import { compileUserRegex, type UserRegex } from '../core/user-regex.js';

type Text = string | number | bigint | Buffer | null;
const text = (v: Text): string | null => (v === null ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
const nth = (parts: string[], index: Text): string | null => {
  const i = Number(index);
  return Number.isInteger(i) && i >= 0 && i < parts.length ? parts[i]! : null;
};

/** Pack authors' patterns run on RE2 (linear time), so a query cannot freeze the agent. */
function compileRegex(pattern: string): UserRegex | null {
  try { return compileUserRegex(pattern); } catch { return null; }
}

export function registerOsqueryFunctions(db: Database.Database): void {
  const options = { deterministic: true };
  /** split(str, tokens, index): split on any of the characters in `tokens`, empty parts dropped. */
  db.function('split', options, (s: Text, tokens: Text, index: Text) => {
    const str = text(s);
    const tok = text(tokens);
    if (str === null || tok === null) return null;
    const parts = tok === '' ? [str] : str.split(new RegExp(`[${tok.replace(/[\\\]^-]/g, '\\$&')}]`)).filter((p) => p !== '');
    return nth(parts, index);
  });
  db.function('regex_split', options, (s: Text, pattern: Text, index: Text) => {
    const str = text(s);
    const re = compileRegex(text(pattern) ?? '');
    if (str === null || !re) return null;
    return nth(re.split(str).filter((p) => p !== ''), index);
  });
  /** regex_match(str, pattern, index): the index-th group of the first match (0: the whole match). */
  db.function('regex_match', options, (s: Text, pattern: Text, index: Text) => {
    const str = text(s);
    const re = compileRegex(text(pattern) ?? '');
    if (str === null || !re) return null;
    const m = re.exec(str);
    return m ? nth([...m].map((g) => g ?? ''), index) : null;
  });
  db.function('inet_aton', options, (s: Text) => {
    const parts = (text(s) ?? '').split('.');
    if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
    return parts.reduce((n, p) => n * 256 + Number(p), 0);
  });
  db.function('to_base64', options, (s: Text) => (s === null ? null : Buffer.from(Buffer.isBuffer(s) ? s : String(s)).toString('base64')));
  db.function('from_base64', options, (s: Text) => {
    const str = text(s);
    if (str === null || !/^[A-Za-z0-9+/]*={0,2}$/.test(str)) return null;
    return Buffer.from(str, 'base64').toString('utf8');
  });
  /** base64 only when the value is not printable ASCII, as osquery's conditional_to_base64. */
  db.function('conditional_to_base64', options, (s: Text) => {
    const str = text(s);
    if (str === null) return null;
    return /^[\x20-\x7e]*$/.test(str) ? str : Buffer.from(str).toString('base64');
  });
}
