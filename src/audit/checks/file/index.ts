/**
 * `file` check type: a path (or every path a glob matches) exists or not, has a given type,
 * owner and group, and a mode no more permissive than allowed. Evidence: what was found on
 * each path (type, owner, group, mode).
 */
import type { Stats } from 'node:fs';
import { SpyglassError, toSpyglassError } from '../../../core/errors.js';
import { outcome, type CheckContext, type CheckOutcome, type CheckType, type Evidence } from '../../check.js';
import { fileTypeOf } from '../../../host/file-type.js';
import { fileSchema, type FileSpec } from './schema.js';
import { idAllowed, rootGroups, rootUsers, showId } from '../common/account-names.js';
import { expandPath } from '../common/expand-path.js';

function modeText(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

function listOf<T>(v: T | T[] | undefined): T[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

async function evaluateFile(spec: FileSpec, ctx: CheckContext): Promise<CheckOutcome> {
  let paths: string[];
  try {
    paths = await expandPath(ctx.root, spec.path);
  } catch (err) {
    return outcome.error(toSpyglassError(err, 'io_error', { path: spec.path }));
  }

  if (!spec.exists) {
    if (paths.length === 0) return outcome.pass(`${spec.path} does not exist`, [{ source: spec.path, found: 'absent', expected: 'absent' }]);
    return outcome.fail(`${paths.join(', ')} exists`, paths.map((p) => ({ source: p, found: 'exists', expected: 'absent' })));
  }
  if (paths.length === 0) {
    const ev: Evidence[] = [{ source: spec.path, found: 'absent', expected: 'exists' }];
    const summary = `${spec.path} does not exist`;
    if (spec.missing === 'pass') return outcome.pass(summary, ev);
    if (spec.missing === 'not_applicable') return outcome.notApplicable(summary, ev);
    return outcome.fail(summary, ev);
  }

  const users = spec.owner !== undefined ? await rootUsers(ctx) : undefined;
  const groups = spec.group !== undefined ? await rootGroups(ctx) : undefined;
  const owners = listOf(spec.owner);
  const groupList = listOf(spec.group);
  const allowedMode = spec.mode !== undefined ? Number.parseInt(spec.mode, 8) : undefined;
  const expectedParts: string[] = [];
  if (spec.file_type) expectedParts.push(`type=${spec.file_type}`);
  if (owners) expectedParts.push(`owner=${owners.join('|')}`);
  if (groupList) expectedParts.push(`group=${groupList.join('|')}`);
  if (allowedMode !== undefined) expectedParts.push(`mode<=${modeText(allowedMode)}`);
  const expected = expectedParts.length ? expectedParts.join(' ') : 'exists';

  const failures: Evidence[] = [];
  const passes: Evidence[] = [];
  for (const p of paths) {
    if (ctx.signal.aborted) return outcome.error(new SpyglassError('timeout', `time budget ran out after ${passes.length + failures.length} of ${paths.length} paths`, { path: spec.path }));
    const examineLink = spec.file_type === 'symlink' || !spec.follow_symlinks;
    let st: Stats;
    try {
      st = examineLink ? await ctx.root.lstat(p) : await ctx.root.stat(p);
    } catch (err) {
      const e = toSpyglassError(err, 'io_error', { path: p });
      if (e.code === 'not_found' || e.code === 'not_directory') {
        // reached through a link whose target is missing
        failures.push({ source: p, found: 'dangling symlink (target missing)', expected });
        continue;
      }
      return outcome.error(e);
    }
    const problems: string[] = [];
    const notes: string[] = [];
    const type = fileTypeOf(st);
    if (spec.file_type && type !== spec.file_type) problems.push(`type is ${type}`);
    if (owners && users) {
      const r = idAllowed(users, st.uid, owners);
      if (!r.ok) problems.push(`owner is ${showId(users, st.uid)}`);
      if (r.unknownNames.length) notes.push(`no user ${r.unknownNames.join(', ')} in /etc/passwd`);
    }
    if (groupList && groups) {
      const r = idAllowed(groups, st.gid, groupList);
      if (!r.ok) problems.push(`group is ${showId(groups, st.gid)}`);
      if (r.unknownNames.length) notes.push(`no group ${r.unknownNames.join(', ')} in /etc/group`);
    }
    if (allowedMode !== undefined && type !== 'symlink') {
      const extra = st.mode & 0o7777 & ~allowedMode;
      if (extra !== 0) problems.push(`mode ${modeText(st.mode)} has bits ${modeText(extra)} beyond ${modeText(allowedMode)}`);
    }
    const found = `type=${type} owner=${showId(users ?? (await rootUsers(ctx)), st.uid)} group=${showId(groups ?? (await rootGroups(ctx)), st.gid)} mode=${modeText(st.mode)}`;
    const ev: Evidence = { source: p, found, expected };
    const note = [...problems, ...notes].join('; ');
    if (note) ev.note = note;
    (problems.length ? failures : passes).push(ev);
  }
  if (failures.length) {
    const first = failures[0]!;
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
    return outcome.fail(`${first.source}: ${first.note ?? first.found}${more}`, failures);
  }
  const what = paths.length === 1 ? paths[0]! : `${paths.length} paths matching ${spec.path}`;
  return outcome.pass(`${what}: ${expected}`, passes);
}

export const fileCheck: CheckType<typeof fileSchema> = {
  type: 'file',
  description: 'A file exists or not, and has the required type, owner, group and a mode no more permissive than allowed.',
  schema: fileSchema,
  evaluate: evaluateFile,
};

export default fileCheck;
