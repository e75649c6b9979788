/**
 * YAML documents that remember where each value came from, so validation problems are
 * reported as file:line:column. The one way YAML reaches Spyglass: profiles and their
 * includes, packs, tailoring, exceptions, the agent configuration and its drop-ins, FIM and
 * shipping settings. Hostile files get a clean ProfileError, never a hang or a stack trace:
 * only regular files are read (a FIFO or /dev/zero is refused), size, anchors and alias
 * expansion are capped before any work grows with them.
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node, type Document } from 'yaml';
import type { z } from 'zod';
import { ProfileError, SpyglassError, toSpyglassError, type ErrorContext } from './errors.js';
import { readRegularFile, readRegularFileSync } from './regular-file.js';
import { issuesToErrorsAt, valueAtPath } from './schema-issues.js';

/** Largest YAML file read: the biggest shipped profile is 64 KB; 4 MiB leaves room, 60 MB is an attack. */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;
/** Most anchors a file may define: parsing cost grows with them, real files use a handful. */
export const MAX_YAML_ANCHORS = 1000;
/** Most alias expansions (the yaml package's count): a "billion laughs" document stops here. */
export const MAX_YAML_ALIAS_COUNT = 100;

// An anchor (&name) or alias (*name) where YAML allows one: after a space, a flow
// indicator or at line start. Counted on the text, so the cap holds before parsing.
const ANCHOR_TOKEN = /(?:^|[\s[{,])&[^\s[\]{},&]/g;
const ALIAS_TOKEN = /(?:^|[\s[{,:])\*[^\s[\]{},*]/;

/**
 * Why `text` is refused before parsing (too large, too many anchors), or undefined. Callers
 * with a faster parser of their own (profiles) check this first too.
 */
export function yamlTextProblem(text: string): string | undefined {
  if (text.length > MAX_YAML_BYTES) return `YAML: ${text.length} characters, over the ${MAX_YAML_BYTES}-byte limit`;
  let anchors = 0;
  ANCHOR_TOKEN.lastIndex = 0;
  while (ANCHOR_TOKEN.exec(text)) if (++anchors > MAX_YAML_ANCHORS) return `YAML: more than ${MAX_YAML_ANCHORS} anchors (&name)`;
  return undefined;
}

/** True when `text` may use aliases (*name): a parser that does not cap their expansion must not read it. */
export function mayHaveYamlAliases(text: string): boolean {
  return ALIAS_TOKEN.test(text);
}

/**
 * Reads a YAML file's text: a regular file under MAX_YAML_BYTES. Throws SpyglassError with
 * the cause's code (not_found, permission_denied, is_directory, not_regular_file,
 * file_too_large, …), `file` in its context and a message without the path ("no such file").
 */
export async function readYamlText(file: string): Promise<string> {
  try {
    return (await readRegularFile(file, { maxBytes: MAX_YAML_BYTES })).toString('utf8');
  } catch (err) {
    throw readFailure(err, file);
  }
}

/** readYamlText for callers that must stay synchronous. */
export function readYamlTextSync(file: string): string {
  try {
    return readRegularFileSync(file, { maxBytes: MAX_YAML_BYTES }).toString('utf8');
  } catch (err) {
    throw readFailure(err, file);
  }
}

/** The read error with `file` in its context and a message that does not repeat the path (formatters print it). */
function readFailure(err: unknown, file: string): SpyglassError {
  const e = toSpyglassError(err, 'io_error', { file });
  return new SpyglassError(e.code, yamlReadProblem(e, file), { ...e.context, file }, { cause: err });
}

/** Why a read failed, in a few words without the path ("no such file", "not a regular file (a FIFO); not read"). */
export function yamlReadProblem(err: unknown, file: string): string {
  const e = toSpyglassError(err, 'io_error', { file });
  if (e.code === 'not_found') return 'no such file';
  if (e.code === 'permission_denied') return 'permission denied';
  if (e.code === 'is_directory') return 'is a directory';
  const label = typeof e.context.path === 'string' ? e.context.path : file;
  return e.message.startsWith(`${label}: `) ? e.message.slice(label.length + 2) : e.message;
}

/** Reads and parses a YAML file (readYamlText, then parseYamlFile). */
export async function loadYamlFile(file: string, context: ErrorContext = {}): Promise<YamlFile> {
  return parseYamlFile(await readYamlText(file), file, context);
}

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
 * The parsed document with its line counter and plain value, for callers that walk the
 * nodes themselves (packs keep osquery's "last duplicate key wins": `uniqueKeys: false`).
 * Throws ProfileError: `yaml_syntax` at the first error's position, `yaml_too_large` past
 * the caps, `yaml_aliases` when aliases expand too far.
 */
export function parseYamlDocument(text: string, file: string, context: ErrorContext = {}, options: { uniqueKeys?: boolean } = {}): { doc: Document; lineCounter: LineCounter; value: unknown } {
  const refused = yamlTextProblem(text);
  if (refused) throw new ProfileError('yaml_too_large', refused, { ...context, file });
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: options.uniqueKeys ?? true, strict: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const pos = lineCounter.linePos(firstError.pos[0]);
    throw new ProfileError('yaml_syntax', `YAML: ${firstError.message.split('\n')[0]}`, { ...context, file, line: pos.line, column: pos.col });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (err) {
    // the yaml package throws a ReferenceError for an alias bomb ("Excessive alias count")
    const message = (err as Error).message ?? String(err);
    throw new ProfileError('yaml_aliases', `YAML: aliases expand too far (${message.split('\n')[0]}); at most ${MAX_YAML_ALIAS_COUNT} alias expansions`, { ...context, file });
  }
  return { doc, lineCounter, value };
}

/**
 * Parses YAML text. Syntax errors (and duplicate keys, which YAML forbids but many parsers
 * silently accept) become ProfileErrors with their position; the first one is thrown. Text
 * over the caps is refused (parseYamlDocument).
 */
export function parseYamlFile(text: string, file: string, context: ErrorContext = {}): YamlFile {
  const { doc, lineCounter, value } = parseYamlDocument(text, file, context);
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
  return { file, value, positionOf };
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
