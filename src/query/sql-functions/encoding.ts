/** osquery's base64 functions (sqlite_encoding.cpp): to_base64, from_base64, conditional_to_base64. */
import type Database from 'better-sqlite3';
import { argText, DETERMINISTIC, type SqlArg } from './values.js';

const bytesOf = (v: Exclude<SqlArg, null>): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(argText(v)!, 'utf8'));

/** osquery's isPrintable: every byte is printable ASCII (space to tilde). */
const isPrintable = (b: Buffer): boolean => b.every((c) => c >= 0x20 && c <= 0x7e);

/** osquery's decoder: line breaks and trailing padding dropped; any other character outside the alphabet makes it "". */
function decodeBase64(text: string): string {
  const clean = text.replace(/\r?\n/g, '').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(clean)) return '';
  return Buffer.from(clean, 'base64').toString('utf8');
}

export function registerEncodingFunctions(db: Database.Database): void {
  db.function('to_base64', DETERMINISTIC, (v: SqlArg) => (v === null ? null : bytesOf(v).toString('base64')));
  db.function('from_base64', DETERMINISTIC, (v: SqlArg) => (v === null ? null : decodeBase64(bytesOf(v).toString('latin1'))));
  db.function('conditional_to_base64', DETERMINISTIC, (v: SqlArg) => {
    if (v === null) return null;
    const bytes = bytesOf(v);
    return isPrintable(bytes) ? bytes.toString('utf8') : bytes.toString('base64');
  });
}
