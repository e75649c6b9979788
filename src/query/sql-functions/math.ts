/**
 * osquery's math functions (sqlite_math.cpp), which replace SQLite's built-ins of the same
 * names: `log` is the natural logarithm (SQLite's one-argument log is base 10), `ceil` and
 * `floor` return integers, and a domain or range error of the C library is an error of the
 * query (osquery reports errno), not NULL.
 */
import type Database from 'better-sqlite3';
import { argDouble, DETERMINISTIC, type SqlArg } from './values.js';

const EDOM = 'Numerical argument out of domain';
const ERANGE = 'Numerical result out of range';

/** The errno glibc sets for f(x) = result, told from the values (NaN from a number: EDOM; overflow, pole: ERANGE). */
type ErrnoRule = (x: number, result: number) => string | undefined;
const domainIfNaN: ErrnoRule = (x, r) => (Number.isNaN(r) && !Number.isNaN(x) ? EDOM : undefined);
const logRule: ErrnoRule = (x, r) => (x === 0 ? ERANGE : domainIfNaN(x, r));
const overflowRule: ErrnoRule = (x, r) => (!Number.isFinite(r) && Number.isFinite(x) ? ERANGE : r === 0 && Number.isFinite(x) ? ERANGE : domainIfNaN(x, r));

const UNARY: Record<string, [(x: number) => number, ErrnoRule]> = {
  sqrt: [Math.sqrt, domainIfNaN],
  acos: [Math.acos, domainIfNaN],
  asin: [Math.asin, domainIfNaN],
  atan: [Math.atan, domainIfNaN],
  cos: [Math.cos, domainIfNaN],
  sin: [Math.sin, domainIfNaN],
  tan: [Math.tan, domainIfNaN],
  cot: [(x) => 1 / Math.tan(x), () => undefined],
  exp: [Math.exp, overflowRule],
  log: [Math.log, logRule],
  log10: [Math.log10, logRule],
  degrees: [(x) => (180 * x) / Math.PI, () => undefined],
  radians: [(x) => (x * Math.PI) / 180, () => undefined],
};

function powerErrno(base: number, exponent: number, r: number): string | undefined {
  if (Number.isNaN(r) && !Number.isNaN(base) && !Number.isNaN(exponent)) return EDOM;
  if (base === 0 && exponent < 0) return ERANGE;
  if (!Number.isFinite(r) && Number.isFinite(base) && Number.isFinite(exponent)) return ERANGE;
  return undefined;
}

/** osquery's ceil/floor: an INTEGER comes back unchanged, anything else as the integer of f. */
function toInteger(f: (x: number) => number) {
  return (v: SqlArg) => {
    if (v === null) return null;
    if (typeof v === 'bigint') return v;
    const r = f(argDouble(v));
    return Number.isFinite(r) ? BigInt(r) : null;
  };
}

export function registerMathFunctions(db: Database.Database): void {
  for (const [name, [f, errno]] of Object.entries(UNARY)) {
    db.function(name, DETERMINISTIC, (v: SqlArg) => {
      if (v === null) return null;
      const x = argDouble(v);
      const r = f(x);
      const error = errno(x, r);
      if (error) throw new Error(error);
      return r;
    });
  }
  db.function('power', DETERMINISTIC, (a: SqlArg, b: SqlArg) => {
    if (a === null || b === null) return null;
    const base = argDouble(a);
    const exponent = argDouble(b);
    const r = Math.pow(base, exponent);
    const error = powerErrno(base, exponent, r);
    if (error) throw new Error(error);
    return r;
  });
  db.function('ceil', DETERMINISTIC, toInteger(Math.ceil));
  db.function('floor', DETERMINISTIC, toInteger(Math.floor));
  db.function('pi', DETERMINISTIC, () => Math.PI);
}
