/**
 * `file_tree` check type: a bounded scan (../common/tree-walk.ts) of directory trees for world-writable,
 * unowned, ungrouped, SUID or SGID entries, with exclusions, an allow-list, one filesystem at
 * a time, entry and time limits. Checks that scan the same trees share one walk (../common/tree-scan.ts).
 * An incomplete scan never passes: it fails when it already found offenders and is an error
 * otherwise.
 */
import { SpyglassError, toSpyglassError } from '../../../core/errors.js';
import { outcome, type CheckContext, type CheckOutcome, type CheckType, type Evidence } from '../../check.js';
import { fileTreeSchema, type FileTreeSpec } from './schema.js';
import { describeOffender, FINDING_LABELS } from '../common/tree-findings.js';
import type { WalkResult } from '../common/tree-walk.js';
import { countNoun } from '../../../core/count-noun.js';
import { MAX_KEPT_OFFENDERS, pathMatcher, rootIdSets, sharedTreeScan } from '../common/tree-scan.js';

function scanNote(walk: WalkResult): string {
  return `${countNoun(walk.entries, 'entry', 'entries')} in ${countNoun(walk.dirs, 'directory', 'directories')}, ${(walk.elapsedMs / 1000).toFixed(1)} s`;
}

async function evaluateFileTree(spec: FileTreeSpec, ctx: CheckContext): Promise<CheckOutcome> {
  let scan;
  try {
    const ids = await rootIdSets(ctx);
    if (spec.find === 'unowned' && !ids.uids) throw new SpyglassError('not_found', '/etc/passwd does not exist in the audited root: owners cannot be told apart', { path: '/etc/passwd' });
    if (spec.find === 'ungrouped' && !ids.gids) throw new SpyglassError('not_found', '/etc/group does not exist in the audited root: groups cannot be told apart', { path: '/etc/group' });
    scan = await sharedTreeScan(ctx, spec);
  } catch (err) {
    return outcome.error(toSpyglassError(err, 'io_error'));
  }
  const walk = scan.walk;
  const allowed = pathMatcher(spec.allow);
  const kept = scan.offenders[spec.find];
  const offenders = kept.filter((o) => !allowed(o.path));
  const allowedCount = kept.length - offenders.length;
  const truncated = scan.totals[spec.find] > kept.length;
  const offenderCount = offenders.length + (scan.totals[spec.find] - kept.length);

  const label = FINDING_LABELS[spec.find];
  const where = spec.paths.join(', ');
  const context: Evidence[] = [{ source: where, found: scanNote(walk), ...(allowedCount ? { note: `${allowedCount} allowed by the allow list` } : {}) }];
  if (truncated) context.push({ note: `more than ${MAX_KEPT_OFFENDERS} offenders: only the first ${MAX_KEPT_OFFENDERS} found were checked against the allow list and listed` });
  for (const s of walk.skippedStarts) context.push({ source: s.path, note: `not scanned: ${s.why}` });
  if (walk.unreadable.length) context.push({ source: walk.unreadable[0]!.path, note: `${walk.unreadable.length} entries could not be read (${walk.unreadable.slice(0, 5).map((u) => `${u.path}: ${u.code}`).join(', ')})` });
  if (walk.notEntered.length) context.push({ note: `not entered (other filesystem, pseudo or network mount): ${walk.notEntered.slice(0, 10).join(', ')}${walk.notEntered.length > 10 ? ` and ${walk.notEntered.length - 10} more` : ''}` });

  const incomplete = walk.stopped !== undefined || walk.unreadable.length > 0;
  const why = walk.stopped === 'max_files' ? `stopped at max_files (${spec.max_files})`
    : walk.stopped === 'time_budget' ? `stopped at the time budget (${spec.time_budget_seconds} s)`
      : walk.stopped === 'aborted' ? 'aborted' : `${walk.unreadable.length} entries could not be read`;

  if (offenderCount > 0) {
    const shown = offenders.slice(0, spec.limit).map((o): Evidence => ({ source: o.path, found: describeOffender(o), expected: `not one of the ${label}` }));
    const more = offenderCount - shown.length;
    const summary = `${offenderCount} ${label} under ${where}${more > 0 ? ` (first ${shown.length} listed)` : ''}: ${offenders[0]!.path}${incomplete ? `; scan incomplete: ${why}` : ''}`;
    return outcome.fail(summary, [...shown, ...context]);
  }
  if (walk.skippedStarts.length === spec.paths.length && walk.entries === 0) {
    return outcome.notApplicable(`nothing to scan: ${walk.skippedStarts.map((s) => `${s.path} ${s.why}`).join('; ')}`, context);
  }
  if (incomplete) {
    return outcome.error(new SpyglassError('scan_incomplete', `scan of ${where} incomplete (${why}) after ${scanNote(walk)}; no ${label} found so far, which is not a pass`, { path: where }), context);
  }
  return outcome.pass(`no ${label} under ${where} (${scanNote(walk)})`, context);
}

export const fileTreeCheck: CheckType<typeof fileTreeSchema> = {
  type: 'file_tree',
  description: 'A bounded scan of directory trees for world-writable, unowned, ungrouped, SUID or SGID files, with exclusions, an allow-list, one filesystem at a time and a time budget.',
  schema: fileTreeSchema,
  evaluate: evaluateFileTree,
};
