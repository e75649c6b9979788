/**
 * The agent's configuration: /etc/spyglass/agent.yaml plus drop-ins in agent.d/ merged in
 * name order. This module holds the schema (the one source of truth: docs, the sample file
 * and the JSON Schema come from it) and the loader; loading validates and does no other I/O.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROFILE_SOURCE_SCHEMAS } from '../../profiles/sources/registry.js';
import { SpyglassError, toSpyglassError } from '../../core/errors.js';
import { ConfigError, ConfigErrors, type ConfigWarning } from '../../core/config-error.js';
import { duration, size } from '../../core/config-values.js';
import { fromDays, fromMegabytes, fromSeconds, migrateLegacyKeys, type LegacyKeys } from '../../core/legacy-keys.js';
import { issuesToErrorsAt } from '../../core/schema-issues.js';
import { parseYamlFile, readYamlText, type YamlFile } from '../../core/yaml-file.js';
import { mergeDocuments } from './merge-documents.js';
import { validateSchedule } from '../../core/scheduler/job-scheduler.js';
import { SHIPPING_LEGACY_KEYS, ShippingConfigSchema } from '../../ship/config.js';

export { ConfigErrors } from '../../core/config-error.js';

const scheduleFields = {
  every: duration({ min: 1000 }).optional().describe('run at this interval, at a per-host phase (e.g. "1h")'),
  cron: z.string().optional().describe('or run at these cron times (5 or 6 fields, UTC unless timezone is set)'),
  timezone: z.string().optional().describe('time zone for cron, e.g. "Europe/Berlin"'),
  splay: duration({ min: 0 }).optional().describe('for cron: spread each run over this window, by host (default 10% of a day at most 1h)'),
  run_on_start: z.boolean().default(false).describe('also run once when the agent starts'),
  timeout: duration().optional().describe('stop the job and report it when it runs longer than this'),
  enabled: z.boolean().default(true).describe('false turns the job off (and it needs no schedule)'),
};

function refineSchedule(s: { every?: number; cron?: string; timezone?: string; enabled: boolean }, ctx: z.RefinementCtx<unknown>): void {
  if (s.every !== undefined && s.cron !== undefined) ctx.addIssue({ code: 'custom', message: 'give exactly one of "every" or "cron", not both' });
  else if (s.enabled && s.every === undefined && s.cron === undefined) ctx.addIssue({ code: 'custom', message: 'give exactly one of "every" or "cron" (or enabled: false)' });
  if (s.cron !== undefined) {
    const problem = validateSchedule({ cron: s.cron, timezone: s.timezone });
    if (problem) ctx.addIssue({ code: 'custom', path: ['cron'], message: problem.message });
  }
}

/** A job's settings: its schedule fields plus its own options. */
function job<T extends z.ZodRawShape>(options: T) {
  return z
    .object({ ...scheduleFields, ...options })
    .strict()
    .superRefine((value, ctx) => refineSchedule(value as { every?: number; cron?: string; timezone?: string; enabled: boolean }, ctx));
}

export const AgentConfigSchema = z
  .object({
    root: z.string().default('/').describe('the host tree to audit and query (a mounted image works too)'),
    state_dir: z.string().default('/var/lib/spyglass').describe('spool, baselines, query state, profile sets, status file'),
    host: z
      .object({
        id: z.string().min(1).max(256).optional().describe('stable host id carried in every event (default: /etc/machine-id, else one generated and kept in state_dir)'),
        tags: z.record(z.string(), z.string()).default({}).describe('host tags, used for targeting and added to every event as host.tags'),
      })
      .strict()
      .default({ tags: {} }),
    profiles: z
      .object({
        sources: z.array(z.discriminatedUnion('type', PROFILE_SOURCE_SCHEMAS)).default([]).describe('where profiles, packs and FIM settings come from; the built-in profiles are used when empty'),
        require_signature: z.boolean().default(false).describe('never load a profile set whose MANIFEST signature does not verify'),
        trust: z.array(z.string()).default([]).describe('PEM files: public keys or root CA certificates trusted to sign profile sets'),
        targeting: z
          .array(
            z.object({
              profiles: z.array(z.string()).describe('profile ids (globs allowed) this rule selects'),
              os: z.array(z.string()).optional().describe('os ids or id:version, e.g. "debian:12", "ubuntu"'),
              hostnames: z.array(z.string()).optional().describe('host name globs'),
              tags: z.record(z.string(), z.string()).optional().describe('host tags that must all match'),
            }).strict(),
          )
          .default([])
          .describe('which profiles apply to this host; with no rule, every profile whose targets match the OS'),
      })
      .strict()
      .default({ sources: [], require_signature: false, trust: [], targeting: [] }),
    jobs: z
      .object({
        audit: job({ profiles: z.array(z.string()).optional().describe('profile ids (globs) to run; default: the targeted ones'), exceptions: z.string().optional().describe('exceptions file') }).optional(),
        queries: z
          .object({
            enabled: z.boolean().default(true).describe('false turns scheduled queries off'),
            packs: z.array(z.string()).default([]).describe('query pack files (osquery JSON or YAML), absolute or relative to the profile set; each query runs on its own interval'),
            max_query_time: duration().prefault('30s').describe('a query running longer is stopped, reported and held back'),
            max_rows: z.number().int().positive().default(100_000).describe('a query returning more rows is stopped, reported and held back'),
          })
          .strict()
          .optional(),
        fim: job({ config: z.string().describe('FIM configuration file (watched paths, hashes, excludes)'), realtime: z.boolean().default(true).describe('watch with inotify between scans') }).optional(),
        vuln: job({ feeds: z.array(z.string()).min(1).describe('feed files: OSV directory or zip, Debian tracker JSON'), max_feed_age: duration().prefault('7d').describe('older feeds make the summary say so') }).optional(),
        inventory: job({ queries: z.array(z.string()).default(['SELECT * FROM os_version', 'SELECT * FROM system_info', 'SELECT name, version, source FROM deb_packages']).describe('inventory queries run as snapshots') }).optional(),
      })
      .strict()
      .default({}),
    watchdog: z
      .object({
        max_memory: size({ min: 16 * 1024 * 1024 }).prefault('200M').describe('a job that pushes the agent over this RSS is stopped and held back'),
        cpu_percent: z.number().positive().max(100).default(10).describe('share of one core the agent may use, averaged over a minute'),
        hold: duration().prefault('10m').describe('how long a stopped job is held back'),
      })
      .strict()
      .prefault({}),
    health: z
      .object({
        interval: duration({ min: 1000 }).prefault('5m').describe('how often an agent-health event is sent'),
      })
      .strict()
      .prefault({}),
    shipping: ShippingConfigSchema.optional().describe('sinks, spool and envelope settings (see src/ship/README.md); without it events go to a JSON-lines file in state_dir/events/'),
  })
  .strict();

export type AgentConfig = z.output<typeof AgentConfigSchema>;

/** Keys of the previous release, still read with a warning naming the new key. */
export const AGENT_LEGACY_KEYS: LegacyKeys = {
  inside: {
    profiles: { inside: { sources: { each: (s) => ((s as { type?: unknown } | null)?.type === 'https' ? { renamed: { ca_file: 'tls.ca_file' } } : undefined) } } },
    jobs: {
      inside: {
        queries: { renamed: { max_query_seconds: { to: 'max_query_time', convert: fromSeconds } } },
        vuln: { renamed: { max_feed_age_days: { to: 'max_feed_age', convert: fromDays } } },
      },
    },
    watchdog: { renamed: { memory_mb: { to: 'max_memory', convert: fromMegabytes } } },
    shipping: SHIPPING_LEGACY_KEYS,
  },
};

export interface LoadedConfig {
  config: AgentConfig;
  files: string[];
  /** old keys that still loaded, at their file:line:column */
  warnings: ConfigWarning[];
}

/** The drop-in directory of a main config file: agent.yaml → agent.d/ */
export function dropInDir(mainFile: string): string {
  return path.join(path.dirname(mainFile), path.basename(mainFile, path.extname(mainFile)) + '.d');
}

/**
 * Reads and validates the main file and its drop-ins. Throws ConfigErrors holding every
 * problem (each a ConfigError with file:line:column) when anything is wrong.
 */
export async function loadAgentConfig(mainFile: string): Promise<LoadedConfig> {
  const files = [mainFile];
  try {
    const names = (await fsp.readdir(dropInDir(mainFile))).filter((n) => /\.ya?ml$/.test(n)).sort();
    files.push(...names.map((n) => path.join(dropInDir(mainFile), n)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw toSpyglassError(err, 'io_error', { path: dropInDir(mainFile) });
  }
  const docs: YamlFile[] = [];
  const problems: SpyglassError[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readYamlText(file);
    } catch (err) {
      problems.push(toSpyglassError(err, 'io_error', { file }));
      continue;
    }
    try {
      docs.push(parseYamlFile(text, file));
    } catch (err) {
      problems.push(toSpyglassError(err, 'yaml_syntax', { file }));
    }
  }
  if (problems.length) throw new ConfigErrors(problems, 'agent configuration');
  const merged = mergeDocuments(docs);
  const migrated = migrateLegacyKeys(merged.value ?? {}, AGENT_LEGACY_KEYS);
  // a problem under a renamed key is found where the old key was written
  const writtenAt = (p: ReadonlyArray<PropertyKey>): ReadonlyArray<PropertyKey> => {
    for (const w of migrated.warnings) {
      if (w.to.length && w.to.every((k, i) => p[i] === k)) return [...w.path, ...p.slice(w.to.length)];
    }
    return p;
  };
  const locate = (p: ReadonlyArray<PropertyKey>) => {
    const at = writtenAt(p);
    const origin = merged.originOf(at);
    const pos = origin?.positionOf(at);
    return { file: origin?.file ?? mainFile, line: pos?.line, column: pos?.column };
  };
  const warnings = migrated.warnings.map((w): ConfigWarning => ({ message: w.message, ...locate(w.path) }));
  const parsed = AgentConfigSchema.safeParse(migrated.value);
  if (!parsed.success) {
    throw new ConfigErrors(issuesToErrorsAt(parsed.error.issues, locate, { value: migrated.value, make: (_code, message, context) => new ConfigError(message, context) }), 'agent configuration');
  }
  return { config: parsed.data, files, warnings };
}
