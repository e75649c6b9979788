/**
 * Which controls an audit evaluates: `--tags` globs (matched against a control's tags, its
 * id, and "CIS-<ref>" for each CIS reference, so `--tags 'CIS-5.*'` works on any profile),
 * `--skip-tags` globs (the same names) leave controls out, `--level N` (level N and below, as
 * CIS levels nest), `--controls` globs over ids.
 */
import picomatch from 'picomatch';
import type { LoadedControl } from './profile/load-profile.js';
import type { AuditFilters } from './result.js';

/** The names a tag glob is matched against. */
export function tagNames(control: Pick<LoadedControl, 'id' | 'tags' | 'references'>): string[] {
  const cis = control.references?.cis ?? [];
  return [...control.tags, control.id, ...cis.map((r) => `CIS-${r}`), ...(cis.length === 0 ? [] : [`CIS-${control.id}`])];
}

export function selectControls<C extends Pick<LoadedControl, 'id' | 'tags' | 'references' | 'level'>>(controls: readonly C[], filters: AuditFilters): C[] {
  const tagMatchers = filters.tags?.length ? filters.tags.map((g) => picomatch(g, { nocase: true })) : undefined;
  const skipMatchers = filters.skip_tags?.length ? filters.skip_tags.map((g) => picomatch(g, { nocase: true })) : undefined;
  const idMatchers = filters.controls?.length ? filters.controls.map((g) => picomatch(g)) : undefined;
  return controls.filter((c) => {
    if (filters.level !== undefined && c.level > filters.level) return false;
    if (idMatchers && !idMatchers.some((m) => m(c.id))) return false;
    if (tagMatchers || skipMatchers) {
      const names = tagNames(c);
      if (tagMatchers && !tagMatchers.some((m) => names.some((n) => m(n)))) return false;
      if (skipMatchers && skipMatchers.some((m) => names.some((n) => m(n)))) return false;
    }
    return true;
  });
}

/** A filter glob that selects nothing: an error, since a typo would audit nothing and pass. */
export interface UnmatchedFilter {
  option: '--tags' | '--skip-tags' | '--controls';
  glob: string;
}

/**
 * The --tags, --skip-tags and --controls globs that match no control of the audited profiles
 * (each on its own, before they are combined), matched as selectControls matches them.
 */
export function unmatchedFilters(controls: readonly Pick<LoadedControl, 'id' | 'tags' | 'references'>[], filters: AuditFilters): UnmatchedFilter[] {
  const names = controls.map((c) => tagNames(c));
  const out: UnmatchedFilter[] = [];
  const byTag = (option: UnmatchedFilter['option'], globs: readonly string[] | undefined) => {
    for (const glob of globs ?? []) {
      const m = picomatch(glob, { nocase: true });
      if (!names.some((ns) => ns.some((n) => m(n)))) out.push({ option, glob });
    }
  };
  byTag('--tags', filters.tags);
  byTag('--skip-tags', filters.skip_tags);
  for (const glob of filters.controls ?? []) {
    const m = picomatch(glob);
    if (!controls.some((c) => m(c.id))) out.push({ option: '--controls', glob });
  }
  return out;
}
