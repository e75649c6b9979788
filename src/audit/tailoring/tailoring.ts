/**
 * Tailoring files, like OpenSCAP's: adapt a shipped profile to a site without editing it.
 * A tailoring file selects or deselects controls (by id, library id / tag, glob) and sets
 * named values the profile declares (see values.ts):
 *
 *   id: acme-web-servers
 *   profile: cis-debian-12          # which profiles it applies to (glob; default: all)
 *   values: { max_password_days: 180 }
 *   deselect: ["1.1.2.*", kmod-overlayfs-disabled]
 *   select: ["5.*"]                 # optional: keep only these
 *
 * `loadTailoringFile` validates (every problem with file:line:column); `applyTailoring`
 * reloads a profile with the values (so check schemas see them) and filters its controls.
 */
import picomatch from 'picomatch';
import { z } from 'zod';
import { ProfileError } from '../../core/errors.js';
import { issuesToErrors, parseYamlFile, readYamlText, yamlReadProblem } from '../../core/yaml-file.js';
import { loadProfile, type LoadedControl, type LoadedProfile } from '../profile/load-profile.js';
import { valuesSchema } from '../profile/schema.js';
import type { ValueScalar } from './values.js';

const globList = z.array(z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().min(1)));

export const tailoringSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/).describe('Name of the tailoring, shown in reports as part of the profile title.'),
  title: z.string().optional(),
  description: z.string().optional(),
  profile: z.string().default('*').describe('Glob of the profile ids the tailoring applies to.'),
  values: valuesSchema.describe('Overrides of values the profile declares (a name it does not declare is an error).'),
  select: globList.optional().describe('Keep only controls whose id or a tag (library ids are tags) matches one of these globs.'),
  deselect: globList.default([]).describe('Leave out controls whose id or a tag matches one of these globs (after select).'),
}).strict().describe('A Spyglass tailoring file (`spyglass audit --tailoring FILE`).');

export type Tailoring = z.infer<typeof tailoringSchema> & { file: string };

export async function loadTailoringFile(file: string): Promise<{ tailoring?: Tailoring; errors: ProfileError[] }> {
  let text: string;
  try {
    text = await readYamlText(file);
  } catch (err) {
    return { errors: [new ProfileError('unreadable', `cannot read tailoring file: ${yamlReadProblem(err, file)}`, { file })] };
  }
  try {
    const yaml = parseYamlFile(text, file);
    const r = tailoringSchema.safeParse(yaml.value ?? {});
    if (!r.success) return { errors: issuesToErrors(r.error.issues, yaml, { file }) };
    return { tailoring: { ...r.data, file }, errors: [] };
  } catch (err) {
    if (err instanceof ProfileError) return { errors: [err] };
    throw err;
  }
}

function matches(c: LoadedControl, globs: readonly string[]): boolean {
  return globs.some((g) => picomatch.isMatch(c.id, g) || c.tags.some((t) => picomatch.isMatch(t, g)));
}

/**
 * The tailored profiles. A profile the tailoring does not name is returned unchanged. A glob
 * of select/deselect that matches no control of any tailored profile is an error (a typo
 * would otherwise silently audit the wrong set), as is a value the profile does not declare.
 */
export async function applyTailoring(profiles: readonly LoadedProfile[], t: Tailoring): Promise<{ profiles: LoadedProfile[]; errors: ProfileError[] }> {
  const errors: ProfileError[] = [];
  const out: LoadedProfile[] = [];
  const usedGlobs = new Set<string>();
  let applied = 0;
  for (const p of profiles) {
    if (!picomatch.isMatch(p.id, t.profile)) {
      out.push(p);
      continue;
    }
    applied++;
    let profile = p;
    if (Object.keys(t.values).length) {
      const r = await loadProfile(p.file, { values: t.values as Record<string, ValueScalar> });
      if (!r.profile) {
        errors.push(...r.errors.map((e) => new ProfileError(e.code, `${e.message} (with tailoring ${t.id})`, { ...e.context, tailoring: t.file })));
        continue;
      }
      profile = r.profile;
    }
    for (const g of [...(t.select ?? []), ...t.deselect]) if (profile.controls.some((c) => matches(c, [g]))) usedGlobs.add(g);
    const controls = profile.controls.filter((c) => (!t.select || matches(c, t.select)) && !matches(c, t.deselect));
    out.push({ ...profile, title: `${profile.title} (tailored: ${t.title ?? t.id})`, controls, exceptions: profile.exceptions.filter((e) => controls.some((c) => picomatch.isMatch(c.id, e.control))) });
  }
  if (applied === 0) errors.push(new ProfileError('tailoring_unused', `tailoring ${t.id} applies to profiles "${t.profile}", and none of the audited profiles (${profiles.map((p) => p.id).join(', ') || 'none'}) matches`, { file: t.file }));
  else for (const g of [...(t.select ?? []), ...t.deselect]) if (!usedGlobs.has(g)) errors.push(new ProfileError('unknown_control', `tailoring ${t.id}: "${g}" matches no control id or tag of the tailored profiles`, { file: t.file }));
  return { profiles: out, errors };
}
