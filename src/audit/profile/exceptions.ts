/**
 * Exceptions: accepted failures. A failing control covered by a live exception is reported
 * as `controlled` with the reason; once the exception's expiry day has passed, the control
 * fails again and the report says the exception expired.
 */
import picomatch from 'picomatch';
import { ProfileError } from '../../core/errors.js';
import { issuesToErrors, parseYamlFile, readYamlText, yamlReadProblem } from '../../core/yaml-file.js';
import { exceptionsFileSchema } from './schema.js';
import type { LoadedException } from './load-profile.js';

export interface ExceptionsLoadResult {
  exceptions: LoadedException[];
  errors: ProfileError[];
}

/** Reads an exceptions file (`exceptions: [{control, reason, expires?, profile?}]`). */
export async function loadExceptionsFile(file: string): Promise<ExceptionsLoadResult> {
  let text: string;
  try {
    text = await readYamlText(file);
  } catch (err) {
    return { exceptions: [], errors: [new ProfileError('unreadable', `cannot read exceptions file: ${yamlReadProblem(err, file)}`, { file })] };
  }
  let yaml;
  try {
    yaml = parseYamlFile(text, file);
  } catch (err) {
    if (err instanceof ProfileError) return { exceptions: [], errors: [err] };
    throw err;
  }
  const result = exceptionsFileSchema.safeParse(yaml.value);
  if (!result.success) return { exceptions: [], errors: issuesToErrors(result.error.issues, yaml) };
  const exceptions = result.data.exceptions.map((e, i) => {
    const pos = yaml.positionOf(['exceptions', i]);
    return { ...e, source: { file, line: pos?.line, column: pos?.column } };
  });
  return { exceptions, errors: [] };
}

export interface ExceptionMatch {
  exception: LoadedException;
  /** false when its expiry day has passed */
  live: boolean;
}

/** The exception covering a control, preferring a live one; undefined when none names it. */
export function findException(profileId: string, controlId: string, exceptions: readonly LoadedException[], now: Date): ExceptionMatch | undefined {
  let expired: ExceptionMatch | undefined;
  for (const e of exceptions) {
    if (e.profile !== undefined && e.profile !== profileId && !picomatch.isMatch(profileId, e.profile)) continue;
    if (e.control !== controlId && !picomatch.isMatch(controlId, e.control)) continue;
    const live = e.expires === undefined || now.getTime() < Date.parse(`${e.expires}T00:00:00Z`) + 86_400_000;
    if (live) return { exception: e, live };
    expired ??= { exception: e, live };
  }
  return expired;
}

/**
 * Errors for the entries of --exceptions files that cover no control of any audited profile
 * (the one an entry names, or all): a mistyped id would otherwise be silently ignored.
 */
export function unmatchedExceptions(profiles: readonly { id: string; controls: readonly { id: string }[] }[], exceptions: readonly LoadedException[]): ProfileError[] {
  const errors: ProfileError[] = [];
  for (const e of exceptions) {
    const inScope = profiles.filter((p) => e.profile === undefined || e.profile === p.id || picomatch.isMatch(p.id, e.profile));
    const covers = inScope.some((p) => p.controls.some((c) => c.id === e.control || picomatch.isMatch(c.id, e.control)));
    if (covers) continue;
    const where = e.profile === undefined ? `the audited profiles (${profiles.map((p) => p.id).join(', ')})` : inScope.length ? `profile ${inScope.map((p) => p.id).join(', ')}` : `the audited profiles: none is "${e.profile}" (${profiles.map((p) => p.id).join(', ')})`;
    errors.push(new ProfileError('unknown_control', `exception for control "${e.control}" covers no control of ${where}`, { control: e.control, ...e.source }));
  }
  return errors;
}
