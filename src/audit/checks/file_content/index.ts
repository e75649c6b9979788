/**
 * `file_content` check type: a regular expression that must (or must not) match a line of a
 * file, or of any / every file a glob matches. Evidence: the matching lines with file and line
 * number, or the files searched when nothing matched.
 */
import { SpyglassError, toSpyglassError } from '../../../core/errors.js';
import { compileUserRegex, type UserRegex } from '../../../core/user-regex.js';
import { outcome, type CheckContext, type CheckOutcome, type CheckType, type Evidence } from '../../check.js';
import { expandPath, isGlob } from '../common/expand-path.js';
import { fileContentSchema, type FileContentSpec } from './schema.js';

/** At most this many matching lines are kept as evidence (the count is always reported). */
const MAX_EVIDENCE_LINES = 50;

export interface LineMatch {
  line: number;
  text: string;
}

/** Lines of `text` matching `re`, 1-based, optionally skipping comment lines. */
export function matchingLines(text: string, re: UserRegex, commentPrefix?: string): LineMatch[] {
  const out: LineMatch[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (commentPrefix !== undefined && line.trimStart().startsWith(commentPrefix)) continue;
    if (re.test(line)) out.push({ line: i + 1, text: line });
  }
  return out;
}

async function evaluateFileContent(spec: FileContentSpec, ctx: CheckContext): Promise<CheckOutcome> {
  let paths: string[];
  try {
    paths = await expandPath(ctx.root, spec.path);
  } catch (err) {
    return outcome.error(toSpyglassError(err, 'io_error', { path: spec.path }));
  }
  const re = compileUserRegex(spec.pattern, { ignoreCase: spec.ignore_case });
  const perFile: { path: string; matches: LineMatch[] }[] = [];
  for (const p of paths) {
    if (ctx.signal.aborted) return outcome.error(new SpyglassError('timeout', `time budget ran out after ${perFile.length} of ${paths.length} files`, { path: spec.path }));
    let text: string;
    try {
      const st = await ctx.root.stat(p);
      if (st.isDirectory()) {
        if (!isGlob(spec.path)) return outcome.error(new SpyglassError('is_directory', `${p}: is a directory, not a file to search`, { path: p }));
        continue; // a glob such as /etc/modprobe.d/* may name directories: they hold no lines
      }
      text = await ctx.memo(`file_content:${p}`, () => ctx.root.readText(p));
    } catch (err) {
      const e = toSpyglassError(err, 'io_error', { path: p });
      if ((e.code === 'not_found' || e.code === 'not_directory') && paths.length > 1) continue; // dangling link in a glob
      if (e.code === 'not_found' || e.code === 'not_directory') { paths = []; break; }
      return outcome.error(e);
    }
    perFile.push({ path: p, matches: matchingLines(text, re, spec.ignore_comments ? spec.comment_prefix : undefined) });
  }

  const expectedText = `${spec.expect === 'present' ? 'a line matching' : 'no line matching'} /${spec.pattern}/${spec.ignore_case ? 'i' : ''}`;
  if (perFile.length === 0) {
    const missing = spec.missing ?? (spec.expect === 'present' ? 'fail' : 'pass');
    const ev: Evidence[] = [{ source: spec.path, found: 'no such file', expected: expectedText }];
    const summary = `${spec.path}: no such file`;
    return missing === 'pass' ? outcome.pass(summary, ev) : missing === 'not_applicable' ? outcome.notApplicable(summary, ev) : outcome.fail(summary, ev);
  }

  const matchEvidence = (files: typeof perFile): Evidence[] => {
    const ev: Evidence[] = [];
    const total = files.reduce((n, f) => n + f.matches.length, 0);
    for (const f of files) for (const m of f.matches) if (ev.length < MAX_EVIDENCE_LINES) ev.push({ source: f.path, line: m.line, found: m.text, expected: expectedText });
    if (total > ev.length) ev.push({ source: spec.path, note: `${total - ev.length} more matching lines not shown` });
    return ev;
  };
  const searched = (files: typeof perFile, found: string): Evidence[] => files.map((f) => ({ source: f.path, found, expected: expectedText }));
  const withMatch = perFile.filter((f) => f.matches.length > 0);
  const withoutMatch = perFile.filter((f) => f.matches.length === 0);
  const where = (f: { path: string; matches: LineMatch[] }) => `${f.path}:${f.matches[0]!.line}`;

  if (spec.expect === 'absent') {
    if (withMatch.length === 0) return outcome.pass(`no line matches in ${perFile.length === 1 ? perFile[0]!.path : `${perFile.length} files`}`, searched(perFile, 'no matching line'));
    return outcome.fail(`matching line at ${where(withMatch[0]!)}: ${withMatch[0]!.matches[0]!.text.trim()}`, matchEvidence(withMatch));
  }
  if (spec.scope === 'every') {
    if (withoutMatch.length === 0) return outcome.pass(`every file has a matching line (${perFile.length})`, matchEvidence(perFile));
    return outcome.fail(`no matching line in ${withoutMatch.map((f) => f.path).join(', ')}`, [...searched(withoutMatch, 'no matching line'), ...matchEvidence(withMatch)]);
  }
  if (withMatch.length > 0) return outcome.pass(`found at ${where(withMatch[0]!)}: ${withMatch[0]!.matches[0]!.text.trim()}`, matchEvidence(withMatch));
  return outcome.fail(`no line matches /${spec.pattern}/ in ${perFile.length === 1 ? perFile[0]!.path : `${perFile.length} files matching ${spec.path}`}`, searched(perFile, 'no matching line'));
}

export const fileContentCheck: CheckType<typeof fileContentSchema> = {
  type: 'file_content',
  description: 'A regular expression must, or must not, match a line of a file or of the files a glob matches.',
  schema: fileContentSchema,
  evaluate: evaluateFileContent,
};

export default fileContentCheck;
