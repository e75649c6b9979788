/**
 * auditctl rule lines (as in /etc/audit/rules.d/*.rules) parsed into a normal form that can be
 * compared regardless of how the line was written: option order, `always,exit` or
 * `exit,always`, repeated or comma-joined -S, `auid!=-1` / `unset` / `4294967295`, a trailing
 * slash on a watched directory, and the key (-k / -F key=) all do not matter.
 */

export type AuditRule =
  | { kind: 'watch'; path: string; perms: Set<string>; key?: string }
  | { kind: 'syscall'; list: string; action: string; syscalls: Set<string>; fields: Set<string>; key?: string }
  | { kind: 'control'; option: string; value: string };

const FIELD_OP = /^([A-Za-z_0-9]+)(!=|<=|>=|&=|=|<|>|&)(.*)$/;
const UNSET = new Set(['-1', 'unset', '4294967295']);

/** `auid!=unset`, `auid!=-1` and `auid!=4294967295` are one condition; numbers lose leading zeros. */
function normalField(name: string, op: string, value: string): string {
  let v = value;
  if ((name === 'auid' || name === 'loginuid') && UNSET.has(v)) v = 'unset';
  else if (/^-?\d+$/.test(v)) v = String(Number(v));
  return `${name}${op}${v}`;
}

function normalPath(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** Splits a line into words; a double-quoted word may hold blanks (keys sometimes do). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] ?? m[2]!);
  return out;
}

/**
 * One rule line, or undefined for a blank or comment line. Throws an Error with the reason
 * for a line that is not a rule auditctl would accept in the parts compared here.
 */
export function parseAuditRule(line: string): AuditRule | undefined {
  const text = line.replace(/\r$/, '').trim();
  if (text === '' || text.startsWith('#')) return undefined;
  const w = words(text);
  const need = (i: number, what: string) => {
    const v = w[i + 1];
    if (v === undefined) throw new Error(`${w[i]} needs ${what}`);
    return v;
  };
  const first = w[0]!;
  if (first === '-w' || first === '-W') {
    let path = '';
    let perms = 'rwxa';
    let key: string | undefined;
    for (let i = 0; i < w.length; i += 2) {
      const o = w[i]!;
      if (o === '-w' || o === '-W') path = need(i, 'a path');
      else if (o === '-p') perms = need(i, 'permissions');
      else if (o === '-k') key = need(i, 'a key');
      else throw new Error(`unexpected ${o} in a watch rule`);
    }
    if (!/^[rwxa]+$/.test(perms)) throw new Error(`bad watch permissions "${perms}"`);
    if (first === '-W') return undefined; // removing a watch adds nothing
    return { kind: 'watch', path: normalPath(path), perms: new Set(perms), key };
  }
  if (first === '-a' || first === '-A') {
    let list = '';
    let action = '';
    const syscalls = new Set<string>();
    const fields = new Set<string>();
    let key: string | undefined;
    for (let i = 0; i < w.length; i += 2) {
      const o = w[i]!;
      if (o === '-a' || o === '-A') {
        const parts = need(i, 'list,action').split(',');
        if (parts.length !== 2) throw new Error(`${o} needs list,action`);
        const lists = ['exit', 'task', 'user', 'exclude', 'filesystem', 'io_uring'];
        const actions = ['always', 'never'];
        const l = parts.find((p) => lists.includes(p));
        const a = parts.find((p) => actions.includes(p));
        if (!l || !a) throw new Error(`unknown list/action "${parts.join(',')}"`);
        list = l;
        action = a;
      } else if (o === '-S') {
        for (const s of need(i, 'a syscall').split(',')) if (s) syscalls.add(s);
      } else if (o === '-F' || o === '-C') {
        const f = need(i, 'a field');
        const m = FIELD_OP.exec(f);
        if (!m) throw new Error(`bad field "${f}"`);
        if (m[1] === 'key') key = m[3];
        else fields.add((o === '-C' ? 'C:' : '') + normalField(m[1]!, m[2]!, m[3]!));
      } else if (o === '-k') {
        key = need(i, 'a key');
      } else {
        throw new Error(`unexpected ${o} in a syscall rule`);
      }
    }
    return { kind: 'syscall', list, action, syscalls, fields, key };
  }
  if (/^-[eDbfr]$|^--backlog_wait_time$|^--loginuid-immutable$|^--reset-lost$|^-i$|^-c$/.test(first)) {
    return { kind: 'control', option: first, value: w[1] ?? '' };
  }
  throw new Error(`not an audit rule option: ${first}`);
}

/** The arch field of a syscall rule (b64, b32, or a machine name), if any. */
export function archOf(rule: Extract<AuditRule, { kind: 'syscall' }>): string | undefined {
  for (const f of rule.fields) if (f.startsWith('arch=')) return f.slice(5);
  return undefined;
}

export interface LocatedRule {
  rule: AuditRule;
  source: string;
  line: number;
  text: string;
}

/**
 * Whether the loaded rules make the kernel record at least what `wanted` records. A watch is
 * covered by a watch of the same path whose permissions include the wanted ones. A syscall rule
 * is covered syscall by syscall: for each wanted syscall some loaded rule of the same list and
 * action and the same arch lists it and filters no more than the wanted rule does (its fields
 * are a subset of the wanted fields), so the rule records every event the wanted one would.
 * Returns the covering rules, or the syscalls nothing covers.
 */
export function coverage(wanted: AuditRule, loaded: readonly LocatedRule[], matchKey: boolean): { covered: LocatedRule[]; missing: string[] } {
  if (wanted.kind === 'watch') {
    const hit = loaded.find(({ rule }) => rule.kind === 'watch' && rule.path === wanted.path
      && [...wanted.perms].every((p) => rule.perms.has(p)) && (!matchKey || !wanted.key || rule.key === wanted.key));
    return hit ? { covered: [hit], missing: [] } : { covered: [], missing: [wanted.path] };
  }
  if (wanted.kind === 'control') {
    const last = [...loaded].reverse().find(({ rule }) => rule.kind === 'control' && rule.option === wanted.option);
    return last && last.rule.kind === 'control' && last.rule.value === wanted.value ? { covered: [last], missing: [] } : { covered: [], missing: [`${wanted.option} ${wanted.value}`] };
  }
  const arch = archOf(wanted);
  const candidates = loaded.filter(({ rule }) => rule.kind === 'syscall' && rule.list === wanted.list && rule.action === wanted.action
    && archOf(rule) === arch && [...rule.fields].every((f) => wanted.fields.has(f)) && (!matchKey || !wanted.key || rule.key === wanted.key));
  const syscalls = wanted.syscalls.size ? [...wanted.syscalls] : [''];
  const covered = new Set<LocatedRule>();
  const missing: string[] = [];
  for (const s of syscalls) {
    const hit = candidates.find(({ rule }) => rule.kind === 'syscall' && (s === '' ? rule.syscalls.size === 0 || rule.syscalls.has('all') : rule.syscalls.has(s) || rule.syscalls.has('all')));
    if (hit) covered.add(hit);
    else missing.push(s || '(no syscall filter)');
  }
  return { covered: [...covered], missing };
}
