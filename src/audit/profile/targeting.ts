/**
 * Which profiles apply to a host, for `spyglass audit` and the agent's audit job alike. A
 * profile names the OS releases it is written for; the agent configuration may add rules that
 * select profiles by OS, host name glob and host tags. With no rule, every profile written for
 * this OS and selected by default applies. With rules, the profiles selected by any matching
 * rule apply — and still only on an OS they are written for, so a rule can never run a Debian
 * profile on a RHEL host.
 */
import picomatch from 'picomatch';
import type { OsRelease } from '../../host/os-release.js';

/** What targeting matches a profile or rule against (the audit result's `host` is another thing: what was audited). */
export interface TargetHost {
  osId: string;
  osVersion: string;
  /** ID_LIKE of os-release: an Ubuntu host is "like" debian */
  osLike?: string[];
  hostname: string;
  tags: Record<string, string>;
}

/** The targeting facts of a host from its os-release (none: a generic "linux" host). */
export function targetHostOf(os: OsRelease | undefined, host: { hostname: string; tags?: Record<string, string> }): TargetHost {
  return { osId: os?.id ?? 'linux', osVersion: os?.versionId ?? '', osLike: os?.idLike ?? [], hostname: host.hostname, tags: host.tags ?? {} };
}

export interface TargetableProfile {
  id: string;
  /** e.g. [{ os: 'debian', versions: ['12'] }]; empty or absent: any OS */
  targets?: Array<{ os: string; versions?: string[] }>;
  /** false: runs only when a rule or the caller names it (a starter beside the full benchmark) */
  selectedByDefault?: boolean;
}

export interface ProfileChoice {
  /** the agent's targeting rules; none: the profiles selected by default */
  rules?: readonly TargetingRule[];
  /** id globs the caller asks for (an audit job's own list): these run even when not selected by default */
  named?: readonly string[];
}

export interface TargetingRule {
  profiles: string[];
  /** "debian", "debian:12", "ubuntu:22.04" */
  os?: string[];
  hostnames?: string[];
  tags?: Record<string, string>;
}

export function profileFitsOs(profile: TargetableProfile, host: TargetHost): boolean {
  if (!profile.targets?.length) return true;
  return profile.targets.some((t) => t.os === host.osId && (!t.versions?.length || t.versions.some((v) => versionMatches(v, host.osVersion))));
}

/** "12" matches 12 and 12.x; "22.04" matches exactly; globs allowed ("22.*"). */
function versionMatches(pattern: string, version: string): boolean {
  if (picomatch.scan(pattern).isGlob) return picomatch.isMatch(version, pattern);
  return version === pattern || version.startsWith(pattern + '.');
}

export function ruleMatchesHost(rule: TargetingRule, host: TargetHost): boolean {
  if (rule.os?.length) {
    const ok = rule.os.some((spec) => {
      const [id, version] = spec.split(':');
      return id === host.osId && (version === undefined || versionMatches(version, host.osVersion));
    });
    if (!ok) return false;
  }
  if (rule.hostnames?.length && !rule.hostnames.some((glob) => picomatch.isMatch(host.hostname, glob, { nocase: true }))) return false;
  for (const [key, value] of Object.entries(rule.tags ?? {})) if (host.tags[key] !== value) return false;
  return true;
}

/** The profiles that apply, in their given order. */
export function selectProfiles<P extends TargetableProfile>(profiles: readonly P[], host: TargetHost, choice: ProfileChoice = {}): P[] {
  const rules = choice.rules ?? [];
  let selected = profiles.filter((p) => profileFitsOs(p, host));
  if (rules.length > 0) {
    const wanted = rules.filter((r) => ruleMatchesHost(r, host)).flatMap((r) => r.profiles);
    selected = selected.filter((p) => idMatchesAny(p.id, wanted));
  }
  if (choice.named?.length) return selected.filter((p) => idMatchesAny(p.id, choice.named!));
  return rules.length > 0 ? selected : selected.filter((p) => p.selectedByDefault !== false);
}

function idMatchesAny(id: string, globs: readonly string[]): boolean {
  return globs.some((glob) => picomatch.isMatch(id, glob));
}
