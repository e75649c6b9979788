/**
 * YAML documents that remember where each value came from, so validation problems are
 * reported as file:line:column. Used for every YAML the agent reads: profiles, packs, the
 * agent configuration and its drop-ins.
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node, type Document } from 'yaml';
import type { z } from 'zod';
import { ProfileError, type ErrorContext } from './errors.js';
import { issuesToErrorsAt, valueAtPath } from './schema-issues.js';

export interface Position {
  line: number;
  column: number;
}

export interface YamlFile {
  file: string;
  /** the document as plain data */
  value: unknown;
  /** where the value at a path (keys and indexes) starts; the nearest existing parent otherwise */
  positionOf(path: ReadonlyArray<PropertyKey>): Position | undefined;
}

/**
 * Parses YAML text. Syntax errors (and duplicate keys, which YAML forbids but many parsers
 * silently accept) become ProfileErrors with their position; the first one is thrown.
 */
export function parseYamlFile(text: string, file: string, context: ErrorContext = {}): YamlFile {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const pos = lineCounter.linePos(firstError.pos[0]);
    throw new ProfileError('yaml_syntax', `YAML: ${firstError.message.split('\n')[0]}`, { ...context, file, line: pos.line, column: pos.col });
  }
  const positionOf = (path: ReadonlyArray<PropertyKey>): Position | undefined => {
    let node: unknown = doc.contents;
    let best: Node | undefined = doc.contents ?? undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
        if (!pair) break;
        // a problem with a key's value points at the value; a missing value at the key
        node = pair.value ?? pair.key;
        best = (pair.value as Node | null) ?? (pair.key as Node);
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        if (!node) break;
        best = node as Node;
      } else {
        break;
      }
    }
    const offset = best?.range?.[0];
    if (offset === undefined) return undefined;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  return { file, value: doc.toJS({ maxAliasCount: 100 }), positionOf };
}

/** Turns zod issues into ProfileErrors at the position of the offending value (core/schema-issues.ts). */
export function issuesToErrors(issues: ReadonlyArray<z.core.$ZodIssue>, yaml: YamlFile, context: ErrorContext = {}, prefix: ReadonlyArray<PropertyKey> = [], code = 'invalid'): ProfileError[] {
  return issuesToErrorsAt(issues, yamlLocator(yaml), { context, prefix, code, value: valueAtPath(yaml.value, prefix) });
}

/** Locates paths of one YAML file. */
export function yamlLocator(yaml: YamlFile): (path: ReadonlyArray<PropertyKey>) => { file: string; line?: number; column?: number } {
  return (path) => {
    const pos = yaml.positionOf(path);
    return { file: yaml.file, line: pos?.line, column: pos?.column };
  };
}
