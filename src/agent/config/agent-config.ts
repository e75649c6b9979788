/**
 * The agent's configuration: /etc/spyglass/agent.yaml plus drop-ins in agent.d/ merged in
 * name order. This module holds the schema (the one source of truth: docs, the sample file
 * and the JSON Schema come from it) and the loader; loading validates and does no other I/O.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { gitRefProblem, gitUrlProblem, subdirProblem } from '../../profiles/sources/source-input.js';
import { ProfileError, SpyglassError, toSpyglassError } from '../../core/errors.js';
import { parseYamlFile, type YamlFile } from '../../core/yaml-file.js';
import { mergeDocuments } from './merge-documents.js';
import { validateSchedule } from '../scheduler/scheduler.js';
import { ShippingConfigSchema } from '../../ship/config.js';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "1h", "7d", or a number of seconds → milliseconds. */
export const duration = z
  .union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d)$/, 'a duration like "30s", "15m", "6h" or "1d"')])
  .transform((v) => {
    if (typeof v === 'number') return Math.round(v * 1000);
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(v)!;
    return Math.round(Number(m[1]) * DURATION_UNITS[m[2]!]!);
  });

const scheduleFields = {
  every: duration.optional().describe('run at this interval, at a per-host phase (e.g. "1h")'),
  cron: z.string().optional().describe('or run at these cron times (5 or 6 fields, UTC unless timezone is set)'),
  timezone: z.string().optional().describe('time zone for cron, e.g. "Europe/Berlin"'),
  splay: duration.optional().describe('for cron: spread each run over this window, by host (default 10% of a day at most 1h)'),
  run_on_start: z.boolean().default(false).describe('also run once when the agent starts'),
  timeout: duration.optional().describe('stop the job and report it when it runs longer than this'),
  enabled: z.boolean().default(true).describe('false turns the job off'),
};

function refineSchedule(s: { every?: number; cron?: string; timezone?: string }, ctx: z.RefinementCtx<unknown>): void {
  if ((s.every === undefined) === (s.cron === undefined)) ctx.addIssue({ code: 'custom', message: 'give exactly one of "every" or "cron"' });
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
    .superRefine((value, ctx) => refineSchedule(value as { every?: number; cron?: string; timezone?: string }, ctx));
}

/** A string schema refused with the reason `problem` gives (the sources run the same checks). */
function checked(schema: z.ZodString, problem: (value: string) => string | undefined) {
  return schema.superRefine((value, ctx) => {
    const why = problem(value);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });
}

const profileSource = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('dir').describe('profiles from a local directory'),
    path: z.string().describe('directory holding profiles, packs and FIM settings'),
  }).strict(),
  z.object({
    type: z.literal('git').describe('profiles pulled from a git repository'),
    url: checked(z.string(), gitUrlProblem).describe('repository URL (https://, ssh://, git://, file://, user@host:path, or an absolute path)'),
    ref: checked(z.string(), gitRefProblem).optional().describe('branch, tag or commit (default: the remote HEAD)'),
    subdir: checked(z.string(), subdirProblem).optional().describe('subdirectory holding the profiles (inside the repository)'),
    interval: duration.default(900_000).describe('how often to pull (default 15m)'),
  }).strict(),
  z.object({
    type: z.literal('https').describe('profiles from a tar.gz bundle over HTTPS (ETag: unchanged bundles cost a 304)'),
    url: z.string().regex(/^https:\/\//i, 'an https:// URL').describe('bundle URL'),
    ca_file: z.string().optional().describe('PEM CA certificate(s) trusted besides the system ones'),
    subdir: checked(z.string(), subdirProblem).optional().describe('subdirectory of the bundle holding the profiles'),
    interval: duration.default(900_000).describe('how often to check (default 15m)'),
  }).strict(),
]);

export const AgentConfigSchema = z
  .object({
    root: z.string().default('/').describe('the host tree to audit and query (a mounted image works too)'),
    state_dir: z.string().default('/var/lib/spyglass').describe('spool, baselines, query state, profile sets, status file'),
    host: z
      .object({
        id: z.string().optional().describe('stable host id (default: /etc/machine-id, else one generated and kept in state_dir)'),
        tags: z.record(z.string(), z.string()).default({}).describe('host tags, used for targeting and added to every event'),
      })
      .strict()
      .default({ tags: {} }),
    profiles: z
      .object({
        sources: z.array(profileSource).default([]).describe('where profiles, packs and FIM settings come from; the built-in profiles are used when empty'),
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
            max_query_seconds: z.number().positive().default(30).describe('a query running longer is stopped, reported and held back'),
            max_rows: z.number().int().positive().default(100_000).describe('a query returning more rows is stopped, reported and held back'),
          })
          .strict()
          .optional(),
        fim: job({ config: z.string().describe('FIM configuration file (watched paths, hashes, excludes)'), realtime: z.boolean().default(true).describe('watch with inotify between scans') }).optional(),
        vuln: job({ feeds: z.array(z.string()).min(1).describe('feed files: OSV directory or zip, Debian tracker JSON'), max_feed_age_days: z.number().positive().default(7).describe('older feeds make the summary say so') }).optional(),
        inventory: job({ queries: z.array(z.string()).default(['SELECT * FROM os_version', 'SELECT * FROM system_info', 'SELECT name, version, source FROM deb_packages']).describe('inventory queries run as snapshots') }).optional(),
      })
      .strict()
      .default({}),
    watchdog: z
      .object({
        memory_mb: z.number().positive().default(200).describe('a job that pushes the agent over this RSS is stopped and held back'),
        cpu_percent: z.number().positive().max(100).default(10).describe('share of one core the agent may use, averaged over a minute'),
        hold: duration.default(600_000).describe('how long a stopped job is held back'),
      })
      .strict()
      .default({ memory_mb: 200, cpu_percent: 10, hold: 600_000 }),
    health: z
      .object({
        interval: duration.default(300_000).describe('how often an agent-health event is sent'),
      })
      .strict()
      .default({ interval: 300_000 }),
    shipping: ShippingConfigSchema.optional().describe('sinks, spool and envelope settings (see src/ship/README.md); without it events go to a JSON-lines file in state_dir/events/'),
  })
  .strict();

export type AgentConfig = z.output<typeof AgentConfigSchema>;

export interface LoadedConfig {
  config: AgentConfig;
  files: string[];
}

/** The drop-in directory of a main config file: agent.yaml → agent.d/ */
export function dropInDir(mainFile: string): string {
  return path.join(path.dirname(mainFile), path.basename(mainFile, path.extname(mainFile)) + '.d');
}

/**
 * Reads and validates the main file and its drop-ins. Throws an AggregateConfigError holding
 * every problem (each a ProfileError with file:line:column) when anything is wrong.
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
      text = await fsp.readFile(file, 'utf8');
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
  if (problems.length) throw new ConfigErrors(problems);
  const merged = mergeDocuments(docs);
  const parsed = AgentConfigSchema.safeParse(merged.value ?? {});
  if (!parsed.success) {
    throw new ConfigErrors(
      parsed.error.issues.map((issue) => {
        const origin = merged.originOf(issue.path);
        const pos = origin?.positionOf(issue.path);
        const where = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
        return new ProfileError('config_invalid', `${where}: ${issue.message}`, { file: origin?.file ?? mainFile, line: pos?.line, column: pos?.column });
      }),
    );
  }
  return { config: parsed.data, files };
}

/** Every problem of a configuration at once, so a person fixes them in one pass. */
export class ConfigErrors extends SpyglassError {
  constructor(readonly problems: SpyglassError[]) {
    super('config_invalid', `${problems.length} problem(s) in the agent configuration`, {});
  }
}
