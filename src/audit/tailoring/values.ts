/**
 * Named values in profiles: a profile or control library declares `values:` (name → default)
 * and a check option refers to one with `{ $value: name }` (e.g. `value: { $value:
 * max_password_days }`). References are replaced in the raw YAML tree before the profile is
 * validated, so the check type's own schema checks the substituted value, at its position; a
 * reference to an undeclared name is a ProfileError there. A tailoring file overrides values
 * without editing the profile (LoadOptions.values).
 */
import { ProfileError, type ErrorContext } from '../../core/errors.js';
import type { YamlFile } from '../../core/yaml-file.js';

export type ValueScalar = string | number | boolean | Array<string | number>;

const NAME = /^[a-z][a-z0-9_]*$/;

/** The `{ $value: name }` reference, if `node` is one. */
function referenceName(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  if (keys.length !== 1 || keys[0] !== '$value') return undefined;
  const v = (node as Record<string, unknown>).$value;
  return typeof v === 'string' ? v : String(v);
}

/** The raw `values:` of a file (before schema validation): only well-formed entries. */
export function declaredValues(raw: unknown): Record<string, ValueScalar> {
  const v = (raw as { values?: unknown } | null)?.values;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return {};
  const out: Record<string, ValueScalar> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) if (NAME.test(k)) out[k] = val as ValueScalar;
  return out;
}

/**
 * Replaces every `{ $value: name }` inside the checks and preconditions of `yaml`'s controls
 * with `available[name]`, in place. Returns the names used and one error per unknown name.
 */
export function substituteValues(yaml: YamlFile, available: Readonly<Record<string, ValueScalar>>, ctx: ErrorContext): { used: Set<string>; errors: ProfileError[] } {
  const used = new Set<string>();
  const errors: ProfileError[] = [];
  const controls = (yaml.value as { controls?: unknown } | null)?.controls;
  if (!Array.isArray(controls)) return { used, errors };
  const walk = (node: unknown, at: Array<string | number>, control: string | undefined) => {
    if (node === null || typeof node !== 'object') return;
    const entries: Array<[string | number, unknown]> = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    for (const [k, child] of entries) {
      const name = referenceName(child);
      if (name === undefined) {
        walk(child, [...at, k], control);
        continue;
      }
      const pos = yaml.positionOf([...at, k]);
      if (!(name in available)) {
        const known = Object.keys(available);
        errors.push(new ProfileError('unknown_value', `${[...at, k].join('.')}: no value named "${name}" is declared (declared: ${known.length ? known.join(', ') : 'none'}); declare it under values:`,
          { ...ctx, ...(control ? { control } : {}), file: yaml.file, line: pos?.line, column: pos?.column }));
        continue;
      }
      used.add(name);
      (node as Record<string | number, unknown>)[k] = structuredClone(available[name]);
    }
  };
  controls.forEach((c, i) => {
    if (c === null || typeof c !== 'object') return;
    const id = (c as { id?: unknown }).id;
    const control = typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
    for (const part of ['checks', 'preconditions', 'preconditions_by_numbering'] as const) walk((c as Record<string, unknown>)[part], ['controls', i, part], control);
  });
  return { used, errors };
}
