/**
 * Merges the main agent.yaml with its drop-ins (agent.d/*.yaml, in name order): maps merge
 * key by key, anything else (lists, scalars) is replaced by the later file. Every path
 * remembers which file set it last, so a validation problem is reported in the file a person
 * must edit.
 */
import type { YamlFile } from '../../core/yaml-file.js';

export interface MergedDocument {
  value: unknown;
  /** the YAML file that set the value at `path` (or its nearest set parent) */
  originOf(path: ReadonlyArray<PropertyKey>): YamlFile | undefined;
}

const isPlainMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergeDocuments(files: YamlFile[]): MergedDocument {
  const origins = new Map<string, YamlFile>();
  const keyOf = (path: ReadonlyArray<PropertyKey>) => JSON.stringify(path.map(String));

  const mergeInto = (target: unknown, source: unknown, path: PropertyKey[], file: YamlFile): unknown => {
    origins.set(keyOf(path), file);
    if (!isPlainMap(target) || !isPlainMap(source)) {
      markAll(source, path, file);
      return source;
    }
    const out: Record<string, unknown> = { ...target };
    for (const [k, v] of Object.entries(source)) out[k] = k in out ? mergeInto(out[k], v, [...path, k], file) : (markAll(v, [...path, k], file), v);
    return out;
  };
  const markAll = (value: unknown, path: PropertyKey[], file: YamlFile) => {
    origins.set(keyOf(path), file);
    if (isPlainMap(value)) for (const [k, v] of Object.entries(value)) markAll(v, [...path, k], file);
    else if (Array.isArray(value)) value.forEach((v, i) => markAll(v, [...path, i], file));
  };

  let value: unknown = {};
  for (const file of files) value = file.value === null || file.value === undefined ? value : mergeInto(value, file.value, [], file);
  return {
    value,
    originOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const found = origins.get(keyOf(path.slice(0, n)));
        if (found) return found;
      }
      return files[0];
    },
  };
}
