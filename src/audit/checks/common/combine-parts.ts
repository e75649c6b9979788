/**
 * Folding the parts of a check into one outcome, for check types that judge a runtime part
 * (live root only) and a persisted part (files): any error → error, any fail → fail, no part
 * decided → not_applicable (with every part's reason), else pass (naming the parts that could
 * not be read, so a pass never hides an unread part).
 */
import { outcome, type CheckOutcome, type CheckStatus, type Evidence } from '../../check.js';
import type { SpyglassError } from '../../../core/errors.js';

export interface CheckPart { status: CheckStatus; summary: string; evidence: Evidence[]; error?: SpyglassError }

export function combineParts(parts: CheckPart[]): CheckOutcome {
  const evidence = parts.flatMap((p) => p.evidence);
  const errored = parts.find((p) => p.status === 'error' && p.error);
  if (errored) return outcome.error(errored.error!, evidence);
  const failed = parts.filter((p) => p.status === 'fail');
  if (failed.length) return outcome.fail(failed.map((p) => p.summary).join('; '), evidence);
  const decided = parts.filter((p) => p.status === 'pass');
  if (decided.length === 0) return outcome.notApplicable(parts.map((p) => p.summary).join('; '), evidence);
  const unread = parts.filter((p) => p.status === 'not_applicable');
  return outcome.pass(decided.map((p) => p.summary).join('; ') + (unread.length ? ` (${unread.map((p) => p.summary).join('; ')})` : ''), evidence);
}
