/**
 * Which profiles an audit runs: the ones named with --profile (a file, or the id of a
 * shipped profile), or by default every shipped profile whose targets match the OS in
 * <root>/etc/os-release.
 */
import { existsSync, promises as fsp } from 'node:fs';
import { ProfileError, SpyglassError } from '../../core/errors.js';
import type { HostRoot } from '../../core/host-root.js';
import { readOsRelease, type OsRelease } from '../../host/os-release.js';
import { loadProfile, type LoadedProfile } from './load-profile.js';
import { parseYamlFast } from './read-yaml.js';
import { shippedProfileFiles } from './shipped-profiles.js';
import { profileFitsOs, selectProfiles, targetHostOf } from './targeting.js';

export interface ProfileSelection {
  profiles: LoadedProfile[];
  errors: ProfileError[];
  os?: OsRelease;
}

/**
 * Loads the shipped profiles (a broken one is reported in errors, the rest still load).
 * With `wanted`, a profile whose targets (read with a quick parse, before validation) say it
 * is not wanted is not loaded at all: the default audit does not validate every shipped
 * profile for every other OS.
 */
export async function loadShippedProfiles(wanted?: (head: { id?: unknown; targets?: unknown }) => boolean): Promise<{ profiles: LoadedProfile[]; errors: ProfileError[] }> {
  const profiles: LoadedProfile[] = [];
  const errors: ProfileError[] = [];
  for (const file of await shippedProfileFiles()) {
    if (wanted) {
      const text = await fsp.readFile(file, 'utf8').catch(() => undefined);
      const quick = text === undefined ? undefined : parseYamlFast(text, file);
      const head = (quick?.value ?? {}) as { id?: unknown; targets?: unknown };
      if (quick && typeof head === 'object' && !wanted(head)) continue; // unreadable or unparsable files are loaded, so their errors are reported
    }
    const r = await loadProfile(file);
    if (r.profile) profiles.push(r.profile);
    errors.push(...r.errors);
  }
  return { profiles, errors };
}

/** A --profile argument: a path to a file, else the id of a shipped profile. */
export async function loadProfileArg(arg: string): Promise<{ profile?: LoadedProfile; errors: ProfileError[] }> {
  if (existsSync(arg) || arg.includes('/') || /\.ya?ml$/.test(arg)) return loadProfile(arg);
  const named = await loadShippedProfiles((head) => head.id === arg);
  const found = named.profiles.find((p) => p.id === arg);
  if (found || named.errors.length) return { ...(found ? { profile: found } : {}), errors: named.errors };
  const shipped = await loadShippedProfiles();
  const ids = shipped.profiles.map((p) => p.id).join(', ') || 'none';
  return { errors: [new ProfileError('unknown_profile', `no profile file or shipped profile id "${arg}" (shipped: ${ids})`, { file: arg })] };
}

/** The profiles `spyglass audit` runs: the --profile arguments, else the shipped profiles that target this root's OS. */
export async function profilesForAudit(profileArgs: readonly string[], root: HostRoot): Promise<ProfileSelection> {
  const os = await readOsRelease(root).catch(() => undefined);
  if (profileArgs.length) {
    const profiles: LoadedProfile[] = [];
    const errors: ProfileError[] = [];
    for (const arg of profileArgs) {
      const r = await loadProfileArg(arg);
      if (r.profile) profiles.push(r.profile);
      errors.push(...r.errors);
    }
    const ids = new Set<string>();
    for (const p of profiles) {
      if (ids.has(p.id)) errors.push(new ProfileError('duplicate_profile', `profile id "${p.id}" given twice`, { file: p.file, profile: p.id }));
      ids.add(p.id);
    }
    return { profiles, errors, ...(os ? { os } : {}) };
  }
  if (!os) {
    throw new SpyglassError('usage', `cannot detect the OS: no ${root.join('/etc/os-release')} or /usr/lib/os-release; name a profile with --profile`);
  }
  const host = targetHostOf(os, { hostname: '' });
  const fits = ({ targets }: { targets?: unknown }) => Array.isArray(targets) && targets.length > 0 && profileFitsOs({ id: '', targets: targets.map((t: { os?: unknown; versions?: unknown[] }) => ({ os: String(t?.os), versions: Array.isArray(t?.versions) ? t.versions.map(String) : undefined })) }, host);
  const shipped = await loadShippedProfiles(fits);
  // a shipped profile with no targets (any OS) is never chosen for a host by default
  const fitting = selectProfiles(shipped.profiles.filter((p) => p.targets.length > 0), host);
  if (fitting.length === 0 && shipped.errors.length === 0) {
    const all = await loadShippedProfiles();
    const offered = all.profiles.map((p) => `${p.id} (${p.targets.map((t) => `${t.os} ${(t.versions ?? []).join('/')}`.trim()).join(', ')})`).join('; ') || 'none';
    throw new SpyglassError('usage', `no shipped profile targets ${os.prettyName} (${os.id} ${os.versionId}); shipped: ${offered}. Name one with --profile`);
  }
  return { profiles: fitting, errors: shipped.errors, os };
}
