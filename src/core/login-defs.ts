/**
 * Reads /etc/login.defs of a root (shadow-utils defaults: UID_MIN, PASS_MAX_DAYS, …):
 * `KEY VALUE` lines, `#` comments, last definition wins as in shadow-utils' getdef.c.
 */
import type { HostRoot } from './host-root.js';

export interface LoginDefsValue { value: string; line: number }

export const LOGIN_DEFS_PATH = '/etc/login.defs';

export function parseLoginDefs(text: string): Map<string, LoginDefsValue> {
  const out = new Map<string, LoginDefsValue>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+)\s+(.*?)\s*$/.exec(line);
    if (!m) return;
    let value = m[2]!;
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    out.set(m[1]!, { value, line: i + 1 });
  });
  return out;
}

/** A numeric login.defs setting, or `fallback` when the file or key is missing or not a number. */
export async function loginDefsNumber(root: HostRoot, key: string, fallback: number): Promise<{ value: number; line?: number }> {
  const text = await root.readTextIfExists(LOGIN_DEFS_PATH);
  const found = text === undefined ? undefined : parseLoginDefs(text).get(key);
  const n = found ? Number(found.value) : NaN;
  return Number.isInteger(n) ? { value: n, line: found!.line } : { value: fallback };
}
