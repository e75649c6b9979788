/**
 * SQLite's own conversions of a function argument, as osquery's C functions see them through
 * sqlite3_value_text / _double / _int. better-sqlite3 hands a function JS values; with
 * `safeIntegers` an INTEGER arrives as a bigint and a REAL as a number, so the storage class
 * stays visible (osquery's ceil/floor and community_id_v1 depend on it).
 */
export type SqlArg = string | number | bigint | Buffer | null;

/** Function options for every osquery function: deterministic, integers kept as bigint. */
export const DETERMINISTIC = { deterministic: true, safeIntegers: true } as const;

/**
 * A REAL as SQLite writes it as text (printf "%!.15g", 17 digits when 15 do not round-trip):
 * always with a decimal point, the exponent form below 1e-4 and from 1e17. The last of 17 digits
 * may differ from SQLite's own decimal conversion.
 */
export function realText(n: number): string {
  if (Number.isNaN(n)) return '';
  if (!Number.isFinite(n)) return n > 0 ? 'Inf' : '-Inf';
  const precision = Number(n.toPrecision(15)) === n ? 15 : 17;
  const [mantissa, e] = n.toExponential(precision - 1).split('e');
  const exp = Number(e);
  const withPoint = (m: string) => (m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '.0') : `${m}.0`);
  if (exp < -4 || exp > 16) return `${withPoint(mantissa!)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return withPoint(n.toFixed(Math.max(0, precision - 1 - exp)));
}

/** sqlite3_value_text: NULL stays null; a blob's bytes are read as UTF-8. */
export function argText(v: SqlArg): string | null {
  if (v === null) return null;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (typeof v === 'number') return realText(v);
  return String(v);
}

/** The C string osquery reads from sqlite3_value_text: the text up to its first NUL. */
export function argCString(v: SqlArg): string | null {
  const t = argText(v);
  if (t === null) return null;
  const nul = t.indexOf('\0');
  return nul < 0 ? t : t.slice(0, nul);
}

const NUMERIC_PREFIX = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

/** sqlite3_value_double: text converts by its numeric prefix, anything else non-numeric is 0. */
export function argDouble(v: SqlArg): number {
  if (v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const m = NUMERIC_PREFIX.exec(Buffer.isBuffer(v) ? v.toString('utf8') : v);
  return m ? Number(m[0]) : 0;
}

/** sqlite3_value_int: a 32-bit integer (text by its numeric prefix, reals truncated). */
export function argInt(v: SqlArg): number {
  if (typeof v === 'bigint') return Number(BigInt.asIntN(32, v));
  const d = argDouble(v);
  return Number.isFinite(d) ? Math.trunc(d) | 0 : 0;
}

/** `parts[index]` for osquery's index argument (cast to size_t: a negative index is past the end). */
export function pick(parts: readonly string[], index: SqlArg): string | null {
  const i = argInt(index);
  return i >= 0 && i < parts.length ? parts[i]! : null;
}
