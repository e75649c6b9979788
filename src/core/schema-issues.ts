/**
 * The one mapping from schema (zod) issues to errors at file:line:column, used by every loader
 * of YAML or JSON the agent reads: profiles, tailoring, exceptions, query packs, the agent
 * configuration and its drop-ins, FIM settings. Each issue becomes one error per offending
 * value; an unknown key is reported at the key itself, with the nearest known names.
 */
import type { z } from 'zod';
import { ProfileError, type ErrorContext } from './errors.js';
import { nearestNames } from './nearest-names.js';

export type IssuePath = ReadonlyArray<PropertyKey>;

/** Where the value at a path was written. */
export interface IssueLocation {
  file?: string;
  line?: number;
  column?: number;
}

/** What an issue says, when a loader words it its own way. */
export interface IssueWording {
  path: IssuePath;
  message: string;
  code?: string;
}

export interface IssueMapOptions {
  /** error code (default `config_invalid`); `unknownField` / `missingField` for those two cases */
  code?: string;
  unknownFieldCode?: string;
  missingFieldCode?: string;
  context?: ErrorContext | ((path: IssuePath) => ErrorContext);
  /** path of the validated value inside the located document */
  prefix?: IssuePath;
  /** the validated value, to tell a missing field from a wrong one */
  value?: unknown;
  /** keys allowed where an unknown key was found (for "did you mean") */
  knownKeys?: (path: IssuePath) => readonly string[];
  /** a loader's own wording for some issues; undefined keeps the default */
  word?: (issue: z.core.$ZodIssue, path: IssuePath) => IssueWording[] | undefined;
  /** builds the error (default: ProfileError) */
  make?: (code: string, message: string, context: ErrorContext) => ProfileError;
}

/** The value at `path` inside `root` (undefined when any step is missing). */
export function valueAtPath(root: unknown, path: IssuePath): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

export function issuesToErrorsAt(issues: ReadonlyArray<z.core.$ZodIssue>, locate: (path: IssuePath) => IssueLocation, options: IssueMapOptions = {}): ProfileError[] {
  const prefix = options.prefix ?? [];
  const make = options.make ?? ((code, message, context) => new ProfileError(code, message, context));
  const at = (path: IssuePath, message: string, code = options.code ?? 'config_invalid') => {
    const full = [...prefix, ...path];
    const where = full.length ? full.map(String).join('.') : '(top level)';
    const extra = typeof options.context === 'function' ? options.context(path) : options.context ?? {};
    const loc = locate(full);
    return make(code, `${where}: ${message}`, { ...extra, file: loc.file, line: loc.line, column: loc.column });
  };
  return issues.flatMap((issue) => {
    const own = options.word?.(issue, issue.path);
    if (own) return own.map((w) => at(w.path, w.message, w.code));
    if (issue.code === 'unrecognized_keys') {
      const known = options.knownKeys?.(issue.path) ?? [];
      return issue.keys.map((k) => {
        const near = nearestNames(k, [...known]);
        return at([...issue.path, k], `unknown field${near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)` : ''}`, options.unknownFieldCode);
      });
    }
    if (issue.code === 'invalid_type' && options.value !== undefined && valueAtPath(options.value, issue.path) === undefined) {
      return [at(issue.path, `missing required field (${issue.expected})`, options.missingFieldCode)];
    }
    return [at(issue.path, issue.message)];
  });
}
