/**
 * OSV range evaluation (osv-schema § Evaluation): a version is affected when it is listed in
 * `versions` or lies within a range: events sorted in the ecosystem's order, `introduced`
 * opens, `fixed` (v ≥) and `last_affected` (v >) close, and `limit` events bound the range
 * from above. Also finds the fix to report: the first `fixed` event above the version.
 */
import type { VersionCompare } from '../ecosystem.js';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: string;
  events: OsvEvent[];
}

const eventVersion = (e: OsvEvent): string => e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? '';

/** Orders events by version; introduced "0" first, a limit of "*" last. */
export function sortEvents(events: OsvEvent[], compare: VersionCompare): OsvEvent[] {
  const key = (e: OsvEvent) => (e.introduced === '0' ? -1 : e.limit === '*' ? 1 : 0);
  return [...events].sort((a, b) => key(a) - key(b) || (key(a) === 0 ? compare(eventVersion(a), eventVersion(b)) : 0));
}

function beforeLimits(v: string, events: OsvEvent[], compare: VersionCompare): boolean {
  const limits = events.filter((e) => e.limit !== undefined);
  if (limits.length === 0) return true;
  return limits.some((e) => e.limit === '*' || compare(v, e.limit!) < 0);
}

export interface RangeVerdict {
  affected: boolean;
  /** the fixed version closing the range v is in; undefined when none does */
  fixed: string | undefined;
}

/** Evaluates one ECOSYSTEM range for version v. */
export function evaluateRange(v: string, range: OsvRange, compare: VersionCompare): RangeVerdict {
  if (!beforeLimits(v, range.events, compare)) return { affected: false, fixed: undefined };
  const sorted = sortEvents(range.events.filter((e) => e.limit === undefined), compare);
  let affected = false;
  for (const e of sorted) {
    if (e.introduced !== undefined && (e.introduced === '0' || compare(v, e.introduced) >= 0)) affected = true;
    else if (e.fixed !== undefined && compare(v, e.fixed) >= 0) affected = false;
    else if (e.last_affected !== undefined && compare(v, e.last_affected) > 0) affected = false;
  }
  if (!affected) return { affected, fixed: undefined };
  const fix = sorted.find((e) => e.fixed !== undefined && compare(e.fixed, v) > 0);
  return { affected, fixed: fix?.fixed };
}

export interface AffectedVerdict {
  affected: boolean;
  fixed: string | undefined;
  /** range types present but not evaluated (GIT ranges carry commits, not versions) */
  unevaluatedRangeTypes: string[];
}

/** IsVulnerable for one `affected` entry: listed versions or any ECOSYSTEM/SEMVER range. */
export function evaluateAffected(v: string, ranges: OsvRange[], versions: string[], compare: VersionCompare): AffectedVerdict {
  const unevaluated: string[] = [];
  let affected = versions.some((listed) => listed === v || compare(listed, v) === 0);
  let fixed: string | undefined;
  for (const range of ranges) {
    if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') {
      unevaluated.push(range.type);
      continue;
    }
    const verdict = evaluateRange(v, range, compare);
    if (verdict.affected) {
      affected = true;
      if (verdict.fixed !== undefined && (fixed === undefined || compare(verdict.fixed, fixed) < 0)) fixed = verdict.fixed;
    }
  }
  return { affected, fixed: affected ? fixed : undefined, unevaluatedRangeTypes: unevaluated };
}
