/**
 * Reads and validates a profile file (and the control libraries it includes) into a
 * LoadedProfile, collecting EVERY problem as a ProfileError with file:line:column, the
 * profile id and the control id — so `spyglass profiles validate` can list them all at once.
 *
 * Validation does no I/O beyond reading the profile's own files: check specs are only
 * checked against their check type's schema here; the host is read by the engine.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { z } from 'zod';
import { ProfileError, type ErrorContext } from '../../core/errors.js';
import type { YamlFile } from '../../core/yaml-file.js';
import { issuesToErrorsAt, valueAtPath } from '../../core/schema-issues.js';
import type { CheckType } from '../check.js';
import { CHECK_TYPES } from '../checks/registry.js';
import { nearestNames } from '../../core/nearest-names.js';
import { declaredValues, substituteValues, type ValueScalar } from '../tailoring/values.js';
import { readYamlText, yamlReadProblem } from '../../core/yaml-file.js';
import { fastYamlFile, parseYamlFast, parseYamlWithPositions } from './read-yaml.js';
import {
  buildProfileSchemas, type ControlInput, type IncludeInput, type LibraryInput, type ProfileException, type ProfileInput, type ProfileSchemas,
} from './schema.js';

/** Where something was written. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export interface LoadedControl extends ControlInput {
  /** resolved section id (never empty) */
  section: string;
  profileId: string;
  source: SourceLocation;
}

export interface LoadedException extends ProfileException {
  source: SourceLocation;
}

export interface LoadedProfile {
  file: string;
  id: string;
  title: string;
  version: string;
  description?: string;
  benchmark?: { name: string; version?: string };
  targets: Array<{ os: string; versions?: string[] }>;
  /** run by a plain `spyglass audit` when its targets match (false: only when named) */
  selectedByDefault: boolean;
  /** section titles by id, merged from the profile and its libraries */
  sections: Record<string, string>;
  controls: LoadedControl[];
  exceptions: LoadedException[];
  /** every file read: the profile and its libraries */
  files: string[];
  /** named values in effect (declared defaults, then LoadOptions.values overrides) */
  values?: Record<string, ValueScalar>;
}

export interface ProfileLoadResult {
  /** present when the profile parsed well enough to be used (no errors) */
  profile?: LoadedProfile;
  errors: ProfileError[];
}

export interface LoadOptions {
  checkTypes?: readonly CheckType[];
  /** overrides of declared named values (from a tailoring file, src/audit/tailoring) */
  values?: Readonly<Record<string, ValueScalar>>;
  /**
   * A directory every include must stay inside, after symlinks are followed: the profile
   * set a signature vouches for. The agent loads its active set with it, so an include
   * cannot bring in a file from outside the set that nobody signed.
   */
  confineTo?: string;
}

const schemaCache = new WeakMap<readonly CheckType[], ProfileSchemas>();
function schemasFor(checkTypes: readonly CheckType[]): ProfileSchemas {
  let s = schemaCache.get(checkTypes);
  if (!s) {
    s = buildProfileSchemas(checkTypes);
    schemaCache.set(checkTypes, s);
  }
  return s;
}

/** How YAML is read: fast (js-yaml, no positions) first; with positions when there are problems. */
type ReadMode = 'fast' | 'positions';

/**
 * Loads one profile file. Never throws for a problem in the file: see `errors`. The fast
 * path reads without positions; if anything is wrong the files are read again with
 * positions, so every error carries file:line:column.
 */
export async function loadProfile(file: string, options: LoadOptions = {}): Promise<ProfileLoadResult> {
  const fast = await loadProfileWith(file, options, 'fast');
  if (fast.errors.length === 0) return fast;
  return loadProfileWith(file, options, 'positions');
}

async function loadProfileWith(file: string, options: LoadOptions, mode: ReadMode): Promise<ProfileLoadResult> {
  const checkTypes = options.checkTypes ?? CHECK_TYPES;
  const schemas = schemasFor(checkTypes);
  const errors: ProfileError[] = [];
  const top = await readYaml(file, {}, errors, mode);
  if (!top) return { errors };
  if (top.value === null || top.value === undefined) {
    return { errors: [new ProfileError('empty', 'the file is empty: a profile needs at least id, title, version and controls', { file: top.file })] };
  }
  const rawId = (top.value as { id?: unknown } | null)?.id;
  const profileCtx: ErrorContext = typeof rawId === 'string' || typeof rawId === 'number' ? { profile: String(rawId) } : {};
  // named values: `{ $value: name }` in check options is replaced before validation (tailoring/values.ts)
  const values: Record<string, ValueScalar> = { ...declaredValues(top.value) };
  const overrides = options.values ?? {};
  errors.push(...substituteValues(top, { ...values, ...overrides }, profileCtx).errors);
  const withValues = (lib: YamlFile) => {
    const own = declaredValues(lib.value);
    for (const [k, v] of Object.entries(own)) if (!(k in values)) values[k] = v;
    errors.push(...substituteValues(lib, { ...own, ...declaredValues(top.value), ...overrides }, profileCtx).errors);
  };
  const parsed = validate<ProfileInput>(schemas.profile, top, profileCtx, checkTypes, errors);
  if (!parsed) return { errors };

  const sections: Record<string, string> = { ...parsed.sections };
  const controls: LoadedControl[] = [];
  const seen = new Map<string, SourceLocation>();
  const files = [path.resolve(file)];
  const addControls = (list: ControlInput[], yaml: YamlFile, filter?: string[], numbering?: string) => {
    list.forEach((libraryControl, i) => {
      const c = withoutNumberingVariants(numbering ? renumbered(libraryControl, numbering) : libraryControl);
      if (!c) return;
      if (filter && !filter.some((g) => picomatch.isMatch(c.id, g) || picomatch.isMatch(libraryControl.id, g))) return;
      const pos = yaml.positionOf(['controls', i, 'id']);
      const source: SourceLocation = { file: yaml.file, line: pos?.line, column: pos?.column };
      const first = seen.get(c.id);
      if (first) {
        errors.push(new ProfileError('duplicate_control', `duplicate control id "${c.id}" (first defined at ${where(first)})`, { ...profileCtx, control: c.id, ...source }));
        return;
      }
      seen.set(c.id, source);
      controls.push({ ...c, section: '', profileId: parsed.id, source });
    });
  };

  addControls(parsed.controls, top);
  const confine = options.confineTo === undefined ? undefined : await fsp.realpath(options.confineTo).catch(() => path.resolve(options.confineTo!));
  await includeLibraries(parsed.include, top, [path.resolve(file)], schemas, checkTypes, profileCtx, errors, addControls, sections, files, mode, undefined, withValues, confine);
  for (const [k, v] of Object.entries(overrides)) {
    if (k in values) values[k] = v;
    else errors.push(new ProfileError('unknown_value', `tailoring sets value "${k}", which the profile does not declare (declared: ${Object.keys(values).join(', ') || 'none'})`, { ...profileCtx, file: top.file }));
  }

  for (const c of controls) c.section = c.section || sectionFor(c.id, sections);
  const exceptions: LoadedException[] = parsed.exceptions.map((e, i) => {
    const pos = top.positionOf(['exceptions', i]);
    return { ...e, profile: e.profile ?? parsed.id, source: { file: top.file, line: pos?.line, column: pos?.column } };
  });
  for (const e of exceptions) {
    if (!controls.some((c) => picomatch.isMatch(c.id, e.control))) {
      errors.push(new ProfileError('unknown_control', `exception names control "${e.control}", which the profile does not have`, { ...profileCtx, control: e.control, ...e.source }));
    }
  }
  if (errors.length) return { errors };
  return {
    profile: {
      file: top.file, id: parsed.id, title: parsed.title, version: parsed.version, description: parsed.description,
      benchmark: parsed.benchmark, targets: parsed.targets, selectedByDefault: parsed.selected_by_default, sections, controls, exceptions, files, values,
    },
    errors,
  };
}

async function includeLibraries(
  includes: IncludeInput[], from: YamlFile, chain: string[], schemas: ProfileSchemas, checkTypes: readonly CheckType[], ctx: ErrorContext,
  errors: ProfileError[], addControls: (list: ControlInput[], yaml: YamlFile, filter?: string[], numbering?: string) => void, sections: Record<string, string>, files: string[],
  mode: ReadMode, inheritedNumbering?: string, withValues?: (lib: YamlFile) => void, confine?: string,
): Promise<void> {
  for (const [i, inc] of includes.entries()) {
    const rel = typeof inc === 'string' ? inc : inc.path;
    const target = path.resolve(path.dirname(from.file), rel);
    const pos = from.positionOf(['include', i]);
    const at = { file: from.file, line: pos?.line, column: pos?.column };
    if (chain.includes(target)) {
      errors.push(new ProfileError('include_cycle', `include cycle: ${[...chain, target].map((f) => path.basename(f)).join(' -> ')}`, { ...ctx, ...at }));
      continue;
    }
    if (confine !== undefined) {
      const outside = await includeOutside(target, confine);
      if (outside) {
        errors.push(new ProfileError('include_outside_set', `include "${rel}" ${outside} the profile set ${confine}: a set may only include its own files`, { ...ctx, ...at }));
        continue;
      }
    }
    const lib = await readYaml(target, { ...ctx }, errors, mode, at);
    if (!lib) continue;
    files.push(target);
    withValues?.(lib);
    const parsed = validate<LibraryInput>(schemas.library, lib, ctx, checkTypes, errors);
    if (!parsed) continue;
    for (const [k, v] of Object.entries(parsed.sections)) sections[k] ??= v;
    const numbering = (typeof inc === 'string' ? undefined : inc.numbering) ?? inheritedNumbering;
    addControls(parsed.controls, lib, typeof inc === 'string' ? undefined : inc.controls, numbering);
    await includeLibraries(parsed.include, lib, [...chain, target], schemas, checkTypes, ctx, errors, addControls, sections, files, mode, numbering, withValues, confine);
  }
}

/** How an include leaves `dir` (already a real path), or undefined when it stays inside. */
async function includeOutside(target: string, dir: string): Promise<string | undefined> {
  const escapes = (p: string) => {
    const rel = path.relative(dir, p);
    return rel === '' || rel.startsWith('..') || path.isAbsolute(rel);
  };
  // Compare real paths: the set may be reached through a link (profiles/current), and a link
  // inside the set may point out of it. A missing file is judged by its real parent.
  const real = await fsp.realpath(target).catch(async () => {
    const parent = await fsp.realpath(path.dirname(target)).catch(() => path.dirname(target));
    return path.join(parent, path.basename(target));
  });
  if (!escapes(real)) return undefined;
  return (await fsp.lstat(target).then((st) => st.isSymbolicLink(), () => false)) ? 'links out of' : 'leaves';
}

async function readYaml(file: string, ctx: ErrorContext, errors: ProfileError[], mode: ReadMode, includedAt?: SourceLocation): Promise<YamlFile | undefined> {
  let text: string;
  try {
    text = await readYamlText(file);
  } catch (err) {
    const why = yamlReadProblem(err, file);
    const msg = includedAt ? `cannot read included file ${file}: ${why}` : `cannot read profile: ${why}`;
    errors.push(new ProfileError('unreadable', msg, { ...ctx, ...(includedAt ?? { file }) }));
    return undefined;
  }
  if (mode === 'fast') {
    const fast = parseYamlFast(text, file);
    if (fast) return fastYamlFile(fast);
  }
  try {
    return await parseYamlWithPositions(text, file, ctx);
  } catch (err) {
    if (err instanceof ProfileError) errors.push(err);
    else throw err;
    return undefined;
  }
}

/** Runs the schema; turns every issue into a ProfileError at its position. */
function validate<T>(schema: z.ZodType, yaml: YamlFile, ctx: ErrorContext, checkTypes: readonly CheckType[], errors: ProfileError[]): T | undefined {
  const result = schema.safeParse(yaml.value);
  if (result.success) return result.data as T;
  for (const issue of result.error.issues) errors.push(...issueToErrors(issue, yaml, ctx, checkTypes));
  return undefined;
}

function issueToErrors(issue: z.core.$ZodIssue, yaml: YamlFile, ctx: ErrorContext, checkTypes: readonly CheckType[]): ProfileError[] {
  const p = issue.path;
  const context: ErrorContext = { ...ctx };
  if (p[0] === 'controls' && typeof p[1] === 'number') {
    const id = valueAtPath(yaml.value, ['controls', p[1], 'id']);
    if (typeof id === 'string' || typeof id === 'number') context.control = String(id);
  }
  // checks.N, preconditions.N, or preconditions_by_numbering.<numbering>.N
  const byNumbering = p.indexOf('preconditions_by_numbering');
  const checkIdx = byNumbering >= 0 ? byNumbering + 1 : p.findIndex((k) => k === 'checks' || k === 'preconditions');
  if (checkIdx >= 0 && typeof p[checkIdx + 1] === 'number') {
    const t = valueAtPath(yaml.value, [...p.slice(0, checkIdx + 2), 'type']);
    if (typeof t === 'string') context.check = t;
  }
  // (not yamlLocator: core/yaml-file.ts loads the `yaml` parser, which the fast path avoids)
  const locate = (path: ReadonlyArray<PropertyKey>) => ({ file: yaml.file, ...yaml.positionOf(path) });
  return issuesToErrorsAt([issue], locate, {
    code: 'invalid', unknownFieldCode: 'unknown_field', missingFieldCode: 'missing_field', context, value: yaml.value,
    knownKeys: (path) => knownKeys(path, context.check, checkTypes),
    word: (i, path) => {
      if (i.code !== 'invalid_union' || (i as { discriminator?: string }).discriminator !== 'type') return undefined;
      const known = checkTypes.map((c) => c.type);
      const given = valueAtPath(yaml.value, path);
      if (given === undefined) return [{ path, message: `a check needs a type (one of: ${known.join(', ')})`, code: 'missing_field' }];
      const near = nearestNames(String(given), known);
      const hint = near.length ? `did you mean ${near.map((n) => `"${n}"`).join(' or ')}? ` : '';
      return [{ path, message: `unknown check type "${String(given)}" (${hint}known: ${known.join(', ')})`, code: 'unknown_check_type' }];
    },
  });
}

/** The fields allowed where an unknown one was found, for "did you mean" hints. */
function knownKeys(p: ReadonlyArray<PropertyKey>, checkType: string | undefined, checkTypes: readonly CheckType[]): string[] {
  const shapeKeys = (schema: unknown) => Object.keys((schema as { shape?: Record<string, unknown> }).shape ?? {});
  const last = p[p.length - 2];
  if ((last === 'checks' || last === 'preconditions') && typeof p[p.length - 1] === 'number') {
    const ct = checkTypes.find((c) => c.type === checkType);
    return ct ? ['type', ...shapeKeys(ct.schema)] : ['type'];
  }
  const schemas = schemasFor(checkTypes);
  if (p.length === 2 && p[0] === 'controls') return shapeKeys(schemas.control);
  if (p.length === 0) return [...new Set([...shapeKeys(schemas.profile), ...shapeKeys(schemas.library)])];
  return [];
}

function where(loc: SourceLocation): string {
  return `${loc.file}${loc.line !== undefined ? `:${loc.line}` : ''}${loc.column !== undefined ? `:${loc.column}` : ''}`;
}

/** The section a control belongs to: the longest section id that prefixes its id, else its first number. */
export function sectionFor(controlId: string, sections: Record<string, string>): string {
  let best = '';
  for (const s of Object.keys(sections)) {
    if ((controlId === s || controlId.startsWith(s + '.')) && s.length > best.length) best = s;
  }
  return best || controlId.split('.')[0] || controlId;
}

/**
 * A library control under a benchmark's numbering (include `numbering: cis_debian_12`): its id
 * becomes the first `references.cis_debian_12` entry, that number is its `cis` reference, and its
 * library id stays reachable as a tag (so --tags and tailoring can name it in every profile).
 * Undefined when the benchmark has no such control.
 */
function renumbered(c: ControlInput, numbering: string): ControlInput | undefined {
  const id = c.references?.[numbering]?.[0];
  if (!id) return undefined;
  const preconditions = c.preconditions_by_numbering?.[numbering] ?? c.preconditions;
  return { ...c, id, references: { ...c.references, cis: [id] }, tags: c.tags.includes(c.id) ? c.tags : [...c.tags, c.id], preconditions };
}

/** The per-numbering variants are settled once a control is placed: the loaded control has only its own preconditions. */
function withoutNumberingVariants(c: ControlInput | undefined): ControlInput | undefined {
  if (!c || c.preconditions_by_numbering === undefined) return c;
  const { preconditions_by_numbering: _settled, ...rest } = c;
  return rest.preconditions?.length === 0 ? { ...rest, preconditions: undefined } : rest;
}
