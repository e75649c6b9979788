/**
 * FIM configuration: what to watch, what to ignore, what to report and how hard to work.
 * The zod schema below is the one source of truth (README reference, defaults, errors);
 * `parseFimConfig` validates text without I/O and reports every problem as file:line:column.
 */
import path from 'node:path';
import { z } from 'zod';
import { SpyglassError, toSpyglassError } from '../core/errors.js';
import { CONFIG_INVALID, ConfigError, ConfigErrors } from '../core/config-error.js';
import { duration, size } from '../core/config-values.js';
import { parseYamlFile, issuesToErrors, readYamlText } from '../core/yaml-file.js';
import { isUserRegex } from '../core/user-regex.js';

export const HASH_ALGORITHMS = ['sha256', 'sha1', 'md5', 'sha512'] as const;

export const REPORTED_CHANGES = ['created', 'modified', 'deleted', 'moved', 'attributes'] as const;
export type ReportedChange = (typeof REPORTED_CHANGES)[number];

const regexString = z.string().refine(isUserRegex, 'not a valid regular expression (RE2 syntax)');

const watchSchema = z.strictObject({
  path: z.string().startsWith('/', 'an absolute host path').describe('file or directory to watch (host path, under --root)'),
  recursive: z.boolean().default(true).describe('descend into subdirectories'),
  depth: z.number().int().nonnegative().optional().describe('how many directory levels below `path` to descend (unset: no limit; 0: only the entries of `path` itself)'),
  category: z.string().min(1).optional().describe('label carried in every event of this watch (default: the top-level `category`)'),
  exclude: z.array(z.string()).default([]).describe('more glob patterns to ignore under this path'),
  exclude_regex: z.array(regexString).default([]).describe('more regular expressions (matched against the host path) to ignore'),
  report: z.array(z.enum(REPORTED_CHANGES)).optional().describe('changes to report for this path (default: the top-level `report`)'),
});

export const fimConfigSchema = z.strictObject({
  watch: z.array(watchSchema).min(1).describe('watched paths'),
  category: z.string().min(1).default('fim').describe('default label (category) carried in each event'),
  exclude: z.array(z.string()).default([]).describe('glob patterns of host paths never recorded (`**/*.swp`, `/var/log/**`)'),
  exclude_regex: z.array(regexString).default([]).describe('regular expressions of host paths never recorded'),
  report: z.array(z.enum(REPORTED_CHANGES)).default([...REPORTED_CHANGES]).describe('which changes become events'),
  hashes: z.array(z.enum(HASH_ALGORITHMS)).min(1).default(['sha256']).describe('hash algorithms computed for regular files'),
  max_hash_size: size().prefault('1G').describe('files larger than this are recorded but not hashed (bytes, or 64K / 100M / 2G)'),
  diff: z.strictObject({
    enabled: z.boolean().default(false).describe('keep the content of small text files to report a line diff when they change'),
    max_size: size().prefault('64K').describe('largest file whose content is kept'),
    never: z.array(z.string()).default(['/etc/shadow', '/etc/gshadow', '**/*.key', '**/id_*', '/etc/ssh/ssh_host_*']).describe('globs of paths never diffed (secrets)'),
  }).prefault({}).describe('content diffs for small text files (off by default)'),
  scan_rate: z.number().int().nonnegative().default(0).describe('files per second during scans (0: unlimited)'),
  baseline: z.string().optional().describe('baseline database file (default: /var/lib/spyglass/fim/baseline.db)'),
  fallback_scan_interval: duration({ min: 1000 }).prefault('5m').describe('time between scans of directories that could not be watched (watch limit)'),
  max_watches: z.number().int().positive().optional().describe('cap on inotify watches this agent takes (default: what the kernel allows)'),
  workers: z.number().int().min(1).max(16).optional().describe('hashing worker threads (default: min(2, CPUs))'),
});

export type FimConfig = z.output<typeof fimConfigSchema>;
export type WatchConfig = FimConfig['watch'][number];
export type FimConfigInput = z.input<typeof fimConfigSchema>;

/** Raised with every problem found in a configuration file (the one configuration error, core/config-error.ts). */
export const FimConfigErrors = ConfigErrors;

/** Validates configuration text (no I/O). Throws ConfigErrors listing every problem. */
export function parseFimConfig(text: string, file: string): FimConfig {
  let yaml;
  try {
    yaml = parseYamlFile(text, file);
  } catch (err) {
    throw new ConfigErrors([toSpyglassError(err)], 'FIM configuration');
  }
  const parsed = fimConfigSchema.safeParse(yaml.value ?? {});
  if (!parsed.success) throw new ConfigErrors(issuesToErrors(parsed.error.issues, yaml, {}, [], CONFIG_INVALID), 'FIM configuration');
  const problems: SpyglassError[] = [];
  parsed.data.watch.forEach((w, i) => {
    if (!w.recursive && w.depth !== undefined && w.depth > 0) {
      const pos = yaml.positionOf(['watch', i, 'depth']);
      problems.push(new ConfigError(`watch.${i}.depth: a depth needs recursive: true`, { file, line: pos?.line, column: pos?.column }));
    }
  });
  if (problems.length) throw new ConfigErrors(problems, 'FIM configuration');
  return { ...parsed.data, watch: parsed.data.watch.map((w) => ({ ...w, path: normalizeWatchPath(w.path) })) };
}

/** Validates an object built in code (tests, the agent). */
export function fimConfigFromObject(input: FimConfigInput): FimConfig {
  return parseFimConfig(JSON.stringify(input), '<config>');
}

export async function loadFimConfig(file: string): Promise<FimConfig> {
  let text: string;
  try {
    text = await readYamlText(file);
  } catch (err) {
    throw toSpyglassError(err, 'io_error', { file });
  }
  return parseFimConfig(text, file);
}

function normalizeWatchPath(p: string): string {
  const n = path.posix.normalize(p);
  return n.length > 1 ? n.replace(/\/$/, '') : n;
}
