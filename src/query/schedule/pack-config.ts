/**
 * Schedule configuration: osquery's query packs and config files, accepted unchanged, in
 * JSON (osquery's `.conf` / `.json`) or the same structure in YAML.
 *
 * Accepted shapes (the file's top level):
 * - a pack: `{ queries: {name: {query, interval, …}}, discovery?, platform?, version?, shard? }`
 * - an osquery config: `{ schedule?: {name: {…}}, packs?: {packname: pack | "path/to/pack.conf"},
 *   decorators?: {load?, always?, interval?: {"3600": [sql]}}, options?: {…} }`
 *
 * Validation (zod, no I/O beyond reading the named files) reports each problem with file:line
 * (positions from the YAML parser, which reads JSON too); a bad query is left out with its
 * error, and the rest of the pack still runs. As in osquery, `interval` may be a number or a
 * numeric string, duplicate keys take the last value, and unknown fields (`value`, `oncall`)
 * are kept but ignored.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { z } from 'zod';
import { ProfileError } from '../../core/errors.js';
import { issuesToErrorsAt } from '../../core/schema-issues.js';
import { parseYamlDocument, readYamlTextSync, yamlReadProblem } from '../../core/yaml-file.js';

/** osquery's kMaxQueryInterval: a week. */
export const MAX_QUERY_INTERVAL = 604_800;
/** osquery's schedule_default_interval. */
export const DEFAULT_QUERY_INTERVAL = 3600;

const numberish = z.union([z.number(), z.string().regex(/^\s*\d+\s*$/, 'a whole number')]).transform((v) => Number(v));
const boolish = z.union([z.boolean(), z.enum(['true', 'false']), z.number()]).transform((v) => v === true || v === 'true' || v === 1);

export const packQuerySchema = z.looseObject({
  query: z.string().min(1, 'an empty query').describe('the SQL statement (osquery dialect)'),
  interval: numberish.refine((n) => n > 0 && n <= MAX_QUERY_INTERVAL, `an interval from 1 to ${MAX_QUERY_INTERVAL} seconds`).default(DEFAULT_QUERY_INTERVAL).describe('seconds between runs (a number or a numeric string, as osquery accepts)'),
  platform: z.string().optional().describe('run only on these platforms: linux, posix, all, any, or a comma list'),
  version: z.string().optional().describe('the minimum osquery version the query needs'),
  snapshot: boolish.default(false).describe('emit the whole result set each run instead of differences'),
  removed: boolish.default(true).describe('emit "removed" rows (false: only "added")'),
  shard: numberish.refine((n) => n >= 0 && n <= 100, 'a shard from 0 to 100').optional().describe('run on this percentage of hosts (1-100)'),
  description: z.string().optional(),
  value: z.string().optional().describe('why the query matters (kept, not used)'),
  denylist: boolish.default(true).describe('hold the query back after it goes over the watchdog limits'),
  blacklist: boolish.optional().describe('the old name of denylist'),
});

const packLevel = {
  discovery: z.array(z.string()).optional(),
  platform: z.string().optional(),
  version: z.string().optional(),
  shard: numberish.refine((n) => n >= 0 && n <= 100, 'a shard from 0 to 100').optional(),
  oncall: z.string().optional(),
};

const decoratorsSchema = z.object({
  load: z.array(z.string()).optional(),
  always: z.array(z.string()).optional(),
  interval: z.record(z.string().regex(/^\d+$/, 'an interval in seconds'), z.array(z.string())).optional(),
});

export type PackQuery = z.infer<typeof packQuerySchema>;

export interface ScheduledQuery extends PackQuery {
  /** the query's key in its pack */
  key: string;
  /** the pack's name, undefined for a top-level `schedule` query */
  pack?: string;
  /** osquery's result name: `pack_<pack>_<query>` or the schedule key */
  name: string;
  /** where it was written */
  file: string;
  line?: number;
}

export interface Pack {
  name: string;
  discovery: string[];
  platform?: string;
  version?: string;
  shard?: number;
  queries: ScheduledQuery[];
}

export interface Decorators {
  load: string[];
  always: string[];
  /** interval seconds -> queries */
  interval: Record<string, string[]>;
}

export interface ScheduleConfig {
  /** top-level `schedule` queries and inline or referenced packs, in file order */
  packs: Pack[];
  schedule: ScheduledQuery[];
  decorators: Decorators;
  /** osquery's `schedule_epoch` option, or 0 */
  epoch: number;
  /** problems that left a query or pack out; the rest is usable */
  problems: ProfileError[];
  /** sha1 of the files read (osquery_info.config_hash) */
  files: string[];
}

/** osquery's pack delimiter: result names are pack_<pack>_<query>. */
export const PACK_DELIMITER = '_';

export function resultName(pack: string | undefined, key: string): string {
  return pack === undefined ? key : `pack${PACK_DELIMITER}${pack}${PACK_DELIMITER}${key}`;
}

interface Source { file: string; doc: Document; lines: LineCounter; value: unknown }

function parseSource(file: string, text: string): Source {
  // JSON is YAML; osquery's JSON tolerates duplicate keys (the last wins), so do we.
  try {
    const { doc, lineCounter, value } = parseYamlDocument(text, file, {}, { uniqueKeys: false });
    return { file, doc, lines: lineCounter, value };
  } catch (err) {
    if (err instanceof ProfileError && err.code === 'yaml_syntax') throw new ProfileError('pack_syntax', err.message.replace(/^YAML: /, ''), err.context);
    throw err;
  }
}

/** Line of the node at a key path, or of the nearest ancestor that exists. */
function lineOf(src: Source, keys: Array<string | number>): number | undefined {
  let node: unknown = src.doc.contents;
  let best: number | undefined;
  const lineAt = (n: unknown) => {
    const r = (n as Node | undefined)?.range;
    return r ? src.lines.linePos(r[0]).line : undefined;
  };
  best = lineAt(node);
  for (const k of keys) {
    if (isMap(node)) {
      const pair = [...node.items].reverse().find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(k));
      if (!pair) break;
      best = lineAt(pair.key) ?? best;
      node = pair.value;
      if (lineAt(node) !== undefined && !isMap(node) && !isSeq(node)) best = lineAt(node);
    } else if (isSeq(node)) {
      node = node.items[Number(k)];
      best = lineAt(node) ?? best;
    } else break;
  }
  return best;
}

function zodProblems(src: Source, base: Array<string | number>, error: z.ZodError, context: Record<string, string>): ProfileError[] {
  return issuesToErrorsAt(error.issues, (at) => ({ file: src.file, line: lineOf(src, at as Array<string | number>) }), { code: 'pack_invalid', prefix: base, context });
}

/** Reads and validates a pack or osquery config file (and the pack files it names). */
export function loadScheduleConfig(file: string): ScheduleConfig {
  const config: ScheduleConfig = { packs: [], schedule: [], decorators: { load: [], always: [], interval: {} }, epoch: 0, problems: [], files: [] };
  const src = readSource(file);
  config.files.push(src.text);
  const top = src.source.value;
  if (top === null || typeof top !== 'object' || Array.isArray(top)) {
    throw new ProfileError('pack_invalid', 'a pack or config must be an object with "queries", or "schedule" / "packs"', { file, line: 1 });
  }
  const obj = top as Record<string, unknown>;
  if ('queries' in obj) {
    const name = path.basename(file).replace(/\.(conf|json|ya?ml)$/i, '');
    const pack = buildPack(src.source, name, [], obj, config.problems);
    if (pack) config.packs.push(pack);
    return config;
  }
  if (!('schedule' in obj) && !('packs' in obj) && !('decorators' in obj)) {
    throw new ProfileError('pack_invalid', 'neither a pack (no "queries") nor an osquery config (no "schedule", "packs" or "decorators")', { file, line: 1 });
  }
  if (obj.schedule !== undefined) {
    config.schedule = buildQueries(src.source, undefined, ['schedule'], obj.schedule, config.problems);
  }
  if (obj.decorators !== undefined) {
    const d = decoratorsSchema.safeParse(obj.decorators);
    if (d.success) config.decorators = { load: d.data.load ?? [], always: d.data.always ?? [], interval: d.data.interval ?? {} };
    else config.problems.push(...zodProblems(src.source, ['decorators'], d.error, {}));
  }
  const options = obj.options as Record<string, unknown> | undefined;
  if (options && options.schedule_epoch !== undefined) config.epoch = Number(options.schedule_epoch) || 0;
  if (obj.packs !== undefined) {
    if (typeof obj.packs !== 'object' || obj.packs === null || Array.isArray(obj.packs)) {
      config.problems.push(new ProfileError('pack_invalid', 'packs: an object of pack name -> pack or pack file path', { file, line: lineOf(src.source, ['packs']) }));
    } else {
      for (const [name, value] of Object.entries(obj.packs as Record<string, unknown>)) {
        if (typeof value === 'string') {
          const packFile = path.resolve(path.dirname(file), value);
          try {
            const inner = readSource(packFile);
            config.files.push(inner.text);
            const pack = buildPack(inner.source, name, [], inner.source.value, config.problems);
            if (pack) config.packs.push(pack);
          } catch (err) {
            config.problems.push(err instanceof ProfileError ? err : new ProfileError('pack_unreadable', `pack ${name}: ${(err as Error).message}`, { file, line: lineOf(src.source, ['packs', name]) }));
          }
        } else {
          const pack = buildPack(src.source, name, ['packs', name], value, config.problems);
          if (pack) config.packs.push(pack);
        }
      }
    }
  }
  return config;
}

function readSource(file: string): { source: Source; text: string } {
  let text: string;
  try {
    text = readYamlTextSync(file);
  } catch (err) {
    throw new ProfileError('pack_unreadable', `cannot read ${file}: ${yamlReadProblem(err, file)}`, { file });
  }
  return { source: parseSource(file, text), text };
}

function buildPack(src: Source, name: string, base: Array<string | number>, value: unknown, problems: ProfileError[]): Pack | undefined {
  const level = z.looseObject({ ...packLevel, queries: z.record(z.string(), z.unknown()) }).safeParse(value);
  if (!level.success) {
    problems.push(...zodProblems(src, base, level.error, { pack: name }));
    return undefined;
  }
  const queries = buildQueries(src, name, [...base, 'queries'], level.data.queries, problems);
  return { name, discovery: level.data.discovery ?? [], platform: level.data.platform, version: level.data.version, shard: level.data.shard, queries };
}

function buildQueries(src: Source, pack: string | undefined, base: Array<string | number>, value: unknown, problems: ProfileError[]): ScheduledQuery[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(new ProfileError('pack_invalid', `${base.join('.')}: an object of query name -> query`, { file: src.file, line: lineOf(src, base) }));
    return [];
  }
  const out: ScheduledQuery[] = [];
  for (const [key, q] of Object.entries(value as Record<string, unknown>)) {
    const parsed = packQuerySchema.safeParse(q);
    if (!parsed.success) {
      problems.push(...zodProblems(src, [...base, key], parsed.error, pack ? { pack } : {}));
      continue;
    }
    const data = parsed.data;
    if (data.blacklist !== undefined) data.denylist = data.blacklist;
    out.push({ ...data, key, pack, name: resultName(pack, key), file: src.file, line: lineOf(src, [...base, key]) });
  }
  return out;
}

/** osquery's checkPlatform on Linux: empty, all, any, posix, linux (and old distro names), or a comma list. */
export function platformMatches(platform: string | undefined): boolean {
  if (!platform) return true;
  return platform.split(',').map((p) => p.trim().toLowerCase()).some((p) => ['all', 'any', 'posix', 'linux', 'ubuntu', 'centos', ''].includes(p));
}

/** The osquery version whose tables and pack semantics Spyglass follows, for `version` checks. */
export const OSQUERY_COMPATIBLE_VERSION = '5.12.0';

/** osquery's versionAtLeast(required, ours): "1.4.5" <= "5.12.0". */
export function versionSatisfied(required: string | undefined, ours = OSQUERY_COMPATIBLE_VERSION): boolean {
  if (!required || required === 'null') return true;
  const a = required.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const b = ours.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return true;
}

/** The pack / osquery config format as JSON Schema (for editors), generated from the zod schemas above. */
export function packJsonSchema(): Record<string, unknown> {
  const pack = z.looseObject({ ...packLevel, queries: z.record(z.string(), packQuerySchema) }).describe('An osquery query pack');
  const config = z.looseObject({
    schedule: z.record(z.string(), packQuerySchema).optional(),
    packs: z.record(z.string(), z.union([pack, z.string().describe('path of a pack file, relative to this file')])).optional(),
    decorators: decoratorsSchema.optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  }).describe('An osquery configuration: schedule, packs, decorators');
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Spyglass scheduled queries: an osquery pack or configuration (JSON or YAML)',
    ...z.toJSONSchema(z.union([pack, config]), { io: 'input', target: 'draft-2020-12' }),
  };
}
