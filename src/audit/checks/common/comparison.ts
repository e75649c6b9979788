/**
 * Comparing an effective configuration value with what a control wants: the `op` / `value`
 * options shared by the `config` and `sysctl` check types, and the one function that applies
 * them. Values are strings as read from the file; numeric ops parse them, list ops split them.
 */
import { z } from 'zod';
import { compileUserRegex, userRegexProblem } from '../../../core/user-regex.js';

export const COMPARISON_OPS = [
  'equals', 'not_equals', 'one_of', 'not_one_of',
  'lt', 'le', 'gt', 'ge',
  'matches', 'not_matches',
  'present', 'absent',
  'contains', 'not_contains', 'subset',
] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

const scalarValue = z.union([z.string(), z.number(), z.boolean()]);
export const comparisonValueSchema = z.union([scalarValue, z.array(z.union([z.string(), z.number()]))]);
export type ComparisonValue = z.infer<typeof comparisonValueSchema>;

/** The option fields every comparing check type shares (spread into its z.object). */
export const comparisonFields = {
  op: z.enum(COMPARISON_OPS).default('equals').describe(
    'How the effective value is compared with `value`: equals / not_equals (string equality; numbers compare numerically), ' +
    'one_of / not_one_of (value is a list), lt / le / gt / ge (numeric), matches / not_matches (value is a regular expression, RE2 syntax: no lookarounds or backreferences; unanchored), ' +
    'present / absent (the key is set or not; no value), contains / not_contains (the effective value is a list, e.g. sshd Ciphers: every listed item must be in it / none may be), ' +
    'subset (every item of the effective list must be among the listed values: an allow-list).'),
  value: comparisonValueSchema.optional().describe(
    'What to compare with: a string or number, or a list for one_of / not_one_of / contains / not_contains / subset. Not used by present / absent.'),
  ignore_case: z.boolean().default(false).describe('Compare strings (and list items, and regex matches) case-insensitively.'),
};

export interface ComparisonSpec {
  op: ComparisonOp;
  value?: ComparisonValue | undefined;
  ignore_case: boolean;
}

const LIST_OPS: ReadonlySet<ComparisonOp> = new Set(['one_of', 'not_one_of', 'contains', 'not_contains', 'subset']);
const NUMERIC_OPS: ReadonlySet<ComparisonOp> = new Set(['lt', 'le', 'gt', 'ge']);

/**
 * Validation (no I/O) shared by the schemas: a value where the op needs one, a list where it
 * needs a list, a number for numeric ops, a valid regex for matches. Use in superRefine.
 */
export function comparisonProblems(spec: { op: ComparisonOp; value?: unknown }): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  const { op, value } = spec;
  if (op === 'present' || op === 'absent') {
    if (value !== undefined) problems.push({ path: ['value'], message: `op "${op}" takes no value` });
    return problems;
  }
  if (value === undefined) {
    problems.push({ path: ['value'], message: `op "${op}" needs a value` });
    return problems;
  }
  if (NUMERIC_OPS.has(op) && (Array.isArray(value) || parseNumber(String(value)) === undefined)) {
    problems.push({ path: ['value'], message: `op "${op}" needs a number, got ${JSON.stringify(value)}` });
  }
  if ((op === 'matches' || op === 'not_matches')) {
    if (Array.isArray(value)) problems.push({ path: ['value'], message: `op "${op}" needs one regular expression, not a list` });
    else {
      const err = regexProblem(String(value));
      if (err) problems.push({ path: ['value'], message: err });
    }
  }
  return problems;
}

/** undefined when `source` compiles as a user regex (RE2 syntax), else a message saying why not. */
export function regexProblem(source: string): string | undefined {
  return userRegexProblem(source);
}

/** Parses decimal, hexadecimal (0x…) and negative integers and decimals; undefined otherwise. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (/^0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t, 16);
  return undefined;
}

/** Splits a list value: commas and/or whitespace separate items; empty items dropped. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s.length > 0);
}

export interface ComparisonResult {
  ok: boolean;
  /** what the control wanted, for evidence ("<= 4", "one of: a, b") */
  expected: string;
  /** why it failed, when a reason beyond "found X" helps (a list item that is not allowed) */
  reason?: string;
}

/** Describes the expectation for evidence, without comparing anything. */
export function describeExpectation(spec: ComparisonSpec): string {
  const v = spec.value;
  const list = Array.isArray(v) ? v.map(String).join(', ') : String(v);
  switch (spec.op) {
    case 'equals': return `= ${list}`;
    case 'not_equals': return `!= ${list}`;
    case 'one_of': return `one of: ${list}`;
    case 'not_one_of': return `none of: ${list}`;
    case 'lt': return `< ${list}`;
    case 'le': return `<= ${list}`;
    case 'gt': return `> ${list}`;
    case 'ge': return `>= ${list}`;
    case 'matches': return `matches /${list}/`;
    case 'not_matches': return `does not match /${list}/`;
    case 'present': return 'set';
    case 'absent': return 'not set';
    case 'contains': return `contains: ${list}`;
    case 'not_contains': return `contains none of: ${list}`;
    case 'subset': return `only items from: ${list}`;
  }
}

/**
 * Compares an effective value (undefined: the key is not set) with the spec. `items` is the
 * effective value already split into a list, for formats that know their own list syntax
 * (sshd's comma lists); otherwise list ops split `actual` with splitList.
 */
export function compareValue(actual: string | undefined, spec: ComparisonSpec, items?: string[]): ComparisonResult {
  const expected = describeExpectation(spec);
  const fold = (s: string) => (spec.ignore_case ? s.toLowerCase() : s);
  if (spec.op === 'present') return { ok: actual !== undefined, expected };
  if (spec.op === 'absent') return { ok: actual === undefined, expected };
  if (actual === undefined) return { ok: false, expected, reason: 'not set' };
  const wanted = Array.isArray(spec.value) ? spec.value.map(String) : [String(spec.value)];
  const equal = (a: string, b: string) => {
    const na = parseNumber(a);
    const nb = parseNumber(b);
    if (na !== undefined && nb !== undefined) return na === nb;
    return fold(a) === fold(b);
  };
  if (NUMERIC_OPS.has(spec.op)) {
    const n = parseNumber(actual);
    const w = parseNumber(wanted[0]!);
    if (n === undefined || w === undefined) return { ok: false, expected, reason: `${JSON.stringify(actual)} is not a number` };
    const ok = spec.op === 'lt' ? n < w : spec.op === 'le' ? n <= w : spec.op === 'gt' ? n > w : n >= w;
    return { ok, expected };
  }
  switch (spec.op) {
    case 'equals': return { ok: wanted.length === 1 ? equal(actual, wanted[0]!) : equalLists(listOf(actual, items), wanted, fold), expected };
    case 'not_equals': return { ok: !(wanted.length === 1 ? equal(actual, wanted[0]!) : equalLists(listOf(actual, items), wanted, fold)), expected };
    case 'one_of': return { ok: wanted.some((w) => equal(actual, w)), expected };
    case 'not_one_of': return { ok: !wanted.some((w) => equal(actual, w)), expected };
    case 'matches':
    case 'not_matches': {
      const re = compileUserRegex(wanted[0]!, { ignoreCase: spec.ignore_case });
      const hit = re.test(actual);
      return { ok: spec.op === 'matches' ? hit : !hit, expected };
    }
    case 'contains': {
      const have = new Set(listOf(actual, items).map(fold));
      const missing = wanted.filter((w) => !have.has(fold(w)));
      return { ok: missing.length === 0, expected, ...(missing.length ? { reason: `missing: ${missing.join(', ')}` } : {}) };
    }
    case 'not_contains': {
      const have = new Set(listOf(actual, items).map(fold));
      const present = wanted.filter((w) => have.has(fold(w)));
      return { ok: present.length === 0, expected, ...(present.length ? { reason: `has: ${present.join(', ')}` } : {}) };
    }
    case 'subset': {
      const allowed = new Set(wanted.map(fold));
      const extra = listOf(actual, items).filter((i) => !allowed.has(fold(i)));
      return { ok: extra.length === 0, expected, ...(extra.length ? { reason: `not allowed: ${extra.join(', ')}` } : {}) };
    }
    default: return { ok: false, expected, reason: `unknown op ${spec.op}` };
  }
}

function listOf(actual: string, items?: string[]): string[] {
  return items ?? splitList(actual);
}

function equalLists(a: string[], b: string[], fold: (s: string) => string): boolean {
  return a.length === b.length && a.every((x, i) => fold(x) === fold(b[i]!));
}
