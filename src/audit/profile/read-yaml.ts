/**
 * Reading a profile's YAML fast, with positions only when they are needed.
 *
 * Every audit parses the profile, and the `yaml` package's position-keeping parser costs
 * ~5x the time and ~10 MB more than js-yaml on a 60 KB profile (bench/audit/RESULTS.md). So
 * the fast path parses with js-yaml (YAML 1.2 core schema, duplicate keys rejected), and
 * only when the file fails to parse or to validate is it parsed again with
 * `core/yaml-file.ts` (LineCounter), whose positions the error messages carry. The two
 * parsers agree on every shipped profile (read-yaml.test.ts).
 */
import jsYaml from 'js-yaml';
import type { ErrorContext } from '../../core/errors.js';
import { mayHaveYamlAliases, yamlTextProblem, type Position, type YamlFile } from '../../core/yaml-file.js';

export interface FastYaml {
  file: string;
  text: string;
  value: unknown;
}

/**
 * js-yaml's parse; undefined when it rejects the text or the text is one the fast parser
 * must not be trusted with (over the caps of core/yaml-file.ts, or aliases that expand far:
 * js-yaml shares aliased values, and validation would walk every copy). The caller then
 * takes the slow path, which reports why.
 */
export function parseYamlFast(text: string, file: string): FastYaml | undefined {
  if (yamlTextProblem(text)) return undefined;
  let value: unknown;
  try {
    value = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: file });
  } catch {
    return undefined;
  }
  if (mayHaveYamlAliases(text) && expandsBeyond(value, Math.max(100_000, text.length))) return undefined;
  return { file, text, value };
}

/** True when walking `value` as a tree (aliases counted at every use) visits more than `budget` nodes. */
function expandsBeyond(value: unknown, budget: number): boolean {
  let left = budget;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (--left < 0) return true;
    if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === 'object') stack.push(...Object.values(v));
  }
  return false;
}

/** The positioned parse (throws ProfileError on a syntax error), loaded only when needed. */
export async function parseYamlWithPositions(text: string, file: string, context: ErrorContext = {}): Promise<YamlFile> {
  const { parseYamlFile } = await import('../../core/yaml-file.js');
  return parseYamlFile(text, file, context);
}

/**
 * Where each `- id: X` item of a top-level `controls:` list starts, found by scanning the
 * text (cheap, and enough for "defined at file:line" in reports). Keys are the ids as
 * written, quotes removed.
 */
export function controlIdLines(text: string): Map<string, { item: Position; value: Position }> {
  const out = new Map<string, { item: Position; value: Position }>();
  const lines = text.split('\n');
  const re = /^(\s*-\s+id:\s*)(?:"([^"]*)"|'([^']*)'|([^\s#]+))/;
  for (let i = 0; i < lines.length; i++) {
    const m = re.exec(lines[i]!);
    if (!m) continue;
    const id = m[2] ?? m[3] ?? m[4]!;
    const item = lines[i]!.indexOf('-') + 3;
    if (!out.has(id)) out.set(id, { item: { line: i + 1, column: item }, value: { line: i + 1, column: m[1]!.length + 1 } });
  }
  return out;
}

/** A YamlFile view of a fast parse: positions come from controlIdLines where known. */
export function fastYamlFile(fast: FastYaml): YamlFile {
  const ids = controlIdLines(fast.text);
  return {
    file: fast.file,
    value: fast.value,
    positionOf(path) {
      if (path[0] === 'controls' && typeof path[1] === 'number' && path.length <= 3) {
        const id = (fast.value as { controls?: Array<{ id?: unknown }> }).controls?.[path[1]]?.id;
        if (id !== undefined) {
          const pos = ids.get(String(id));
          if (pos) return path[2] === 'id' ? pos.value : pos.item;
        }
      }
      return undefined;
    },
  };
}
