/**
 * Old spellings of configuration keys, still accepted for one release. Before validation the
 * raw document is rewritten to the current keys (so the schema, the docs and the code only
 * know one spelling) and every rewrite becomes a warning that names the new key, at the old
 * key's file:line:column.
 *
 * A LegacyKeys tree mirrors the configuration: `renamed` maps an old key to its new one (with
 * a conversion when the old key held another unit, e.g. integer milliseconds), `inside` goes
 * into a child mapping (by its current name), `each` into every entry of a map or list
 * (a function when the entry's shape depends on its value, like a sink's `type`).
 */

export interface Renamed {
  /** the new key; dotted ("tls.ca_file") when it moved into a child mapping */
  to: string;
  /** turns the old value into one the new key takes (e.g. 1500 ms → "1500ms") */
  convert?: (old: unknown) => unknown;
  /** more to say in the warning (e.g. a changed default) */
  note?: string;
  /** keys to set alongside (when absent) so the old key keeps its old meaning */
  alongside?: Record<string, unknown>;
}

export interface LegacyKeys {
  renamed?: Record<string, string | Renamed>;
  inside?: Record<string, LegacyKeys>;
  each?: LegacyKeys | ((entry: unknown) => LegacyKeys | undefined);
}

export interface LegacyKeyWarning {
  /** where the old key is, as a path of keys and indexes */
  path: Array<string | number>;
  /** where its value is now */
  to: Array<string | number>;
  message: string;
}

/** Old integer milliseconds → a duration string the new key takes. */
export const fromMilliseconds = (old: unknown): unknown => (typeof old === 'number' ? `${old}ms` : old);
/** Old whole seconds → a duration string. */
export const fromSeconds = (old: unknown): unknown => (typeof old === 'number' ? `${old}s` : old);
/** Old days → a duration string. */
export const fromDays = (old: unknown): unknown => (typeof old === 'number' ? `${old}d` : old);
/** Old megabytes → a size string. */
export const fromMegabytes = (old: unknown): unknown => (typeof old === 'number' ? `${old}M` : old);

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function getPath(node: Record<string, unknown>, keys: string[]): unknown {
  let v: unknown = node;
  for (const k of keys) v = isMap(v) ? v[k] : undefined;
  return v;
}

/** Sets a nested key in `node` (already a copy), copying the child mappings it goes through. */
function setPath(node: Record<string, unknown>, keys: string[], value: unknown): void {
  let at = node;
  for (const k of keys.slice(0, -1)) at = at[k] = isMap(at[k]) ? { ...(at[k] as Record<string, unknown>) } : {};
  at[keys[keys.length - 1]!] = value;
}

const dotted = (path: ReadonlyArray<string | number>) => path.map(String).join('.');

/** Rewrites old keys to new ones (a copy; the input is not changed) and lists what it did. */
export function migrateLegacyKeys(value: unknown, legacy: LegacyKeys, path: Array<string | number> = []): { value: unknown; warnings: LegacyKeyWarning[] } {
  const warnings: LegacyKeyWarning[] = [];
  const walk = (node: unknown, rules: LegacyKeys | undefined, at: Array<string | number>): unknown => {
    if (!rules) return node;
    if (Array.isArray(node)) {
      if (!rules.each) return node;
      return node.map((entry, i) => walk(entry, typeof rules.each === 'function' ? rules.each(entry) : rules.each, [...at, i]));
    }
    if (!isMap(node)) return node;
    let out: Record<string, unknown> = node;
    const copy = () => (out === node ? (out = { ...node }) : out);
    for (const [old, rule] of Object.entries(rules.renamed ?? {})) {
      if (!(old in node)) continue;
      const r: Renamed = typeof rule === 'string' ? { to: rule } : rule;
      const where = dotted([...at, old]);
      const next = dotted([...at, r.to]);
      copy();
      const target = r.to.split('.');
      if (getPath(node, target) !== undefined) {
        warnings.push({ path: [...at, old], to: [...at, old], message: `${where} is an old spelling of ${next}, which is also set: ${where} is ignored; remove it` });
      } else {
        const value = r.convert ? r.convert(node[old]) : node[old];
        setPath(out, target, value);
        const parent = target.slice(0, -1);
        for (const [k, v] of Object.entries(r.alongside ?? {})) if (getPath(out, [...parent, k]) === undefined) setPath(out, [...parent, k], v);
        warnings.push({ path: [...at, old], to: [...at, ...target], message: `${where} is deprecated: write ${next}${value !== node[old] ? `: ${JSON.stringify(value)}` : ''} (the old key is read for one more release)${r.note ? `; ${r.note}` : ''}` });
      }
      delete out[old];
    }
    for (const [key, child] of Object.entries(rules.inside ?? {})) {
      if (!(key in out)) continue;
      const migrated = walk(out[key], child, [...at, key]);
      if (migrated !== out[key]) copy()[key] = migrated;
    }
    if (rules.each) {
      for (const [key, entry] of Object.entries(out)) {
        const migrated = walk(entry, typeof rules.each === 'function' ? rules.each(entry) : rules.each, [...at, key]);
        if (migrated !== entry) copy()[key] = migrated;
      }
    }
    return out;
  };
  return { value: walk(value, legacy, path), warnings };
}
