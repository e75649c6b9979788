/**
 * Regular expressions written by users (profiles, packs' SQL, FIM excludes, mask keys) run on
 * RE2's linear-time engine (re2js), never on V8's backtracking one: a pattern such as
 * `^(a+)+$` on a matching line would otherwise pin the event loop, so no timeout, health
 * report or SIGTERM handler could run. The price is RE2 syntax: no lookarounds and no
 * backreferences; patterns needing them are refused when the file is loaded.
 */
import { RE2JS } from 're2js';
import { SpyglassError } from './errors.js';

export interface UserRegexOptions {
  ignoreCase?: boolean;
  /** `^` and `$` match at line breaks too */
  multiline?: boolean;
  /** `.` matches a line break too */
  dotAll?: boolean;
}

/** A compiled user pattern with the few RegExp operations callers need. */
export interface UserRegex {
  readonly source: string;
  /** True when the pattern matches somewhere in `text` (unanchored, like RegExp.test). */
  test(text: string): boolean;
  /** The first match with its groups (unmatched groups undefined), or null. */
  exec(text: string): RegExpExecArray | null;
  /** `text` split at every match (capture groups are not spliced in). */
  split(text: string): string[];
}

function flagsOf(options: UserRegexOptions): number {
  return (options.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) | (options.multiline ? RE2JS.MULTILINE : 0) | (options.dotAll ? RE2JS.DOTALL : 0);
}

/** Why RE2 refuses `source`, with a hint for the JavaScript features it lacks. */
function describeRefusal(source: string, err: unknown): string {
  const detail = (err instanceof Error ? err.message : String(err)).replace(/^error parsing regexp: /, '');
  const hint = /\(\?<?[!=]/.test(source) ? ' (lookahead and lookbehind are not supported: RE2 syntax)'
    : /\\[1-9]|\\k</.test(source) ? ' (backreferences are not supported: RE2 syntax)'
    : '';
  return `invalid regular expression ${JSON.stringify(source)}: ${detail}${hint}`;
}

/**
 * Compiles a user pattern. Throws SpyglassError `invalid_regex` naming the pattern and why;
 * loaders call userRegexProblem first so the message carries file and line.
 */
export function compileUserRegex(source: string, options: UserRegexOptions = {}): UserRegex {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source, flagsOf(options));
  } catch (err) {
    throw new SpyglassError('invalid_regex', describeRefusal(source, err), { pattern: source });
  }
  return {
    source,
    test: (text) => compiled.test(text),
    exec: (text) => compiled.exec(text) as RegExpExecArray | null,
    split: (text) => compiled.split(text, -1),
  };
}

/** undefined when `source` compiles as a user regex, else a message saying why not. */
export function userRegexProblem(source: string, options: UserRegexOptions = {}): string | undefined {
  try {
    compileUserRegex(source, options);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** A zod refinement for a string that must be a valid user regex. */
export const isUserRegex = (source: string): boolean => userRegexProblem(source) === undefined;
