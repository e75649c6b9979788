/**
 * The shipping configuration (the `shipping:` section of the agent config): spool, envelope
 * fields and masking, and the sinks by name. Strict: unknown keys are errors. Validation does
 * no I/O; createPipeline (pipeline.ts) builds. SHIPPING_LEGACY_KEYS lists the camelCase keys
 * of the previous release, still read with a warning.
 */
import { z } from 'zod';
import { duration, size } from '../core/config-values.js';
import { ConfigError, ConfigErrors, type ConfigWarning } from '../core/config-error.js';
import { fromMilliseconds, migrateLegacyKeys, type LegacyKeys } from '../core/legacy-keys.js';
import { issuesToErrorsAt } from '../core/schema-issues.js';
import type { YamlFile } from '../core/yaml-file.js';
import { SINK_SCHEMAS, sinkLegacyKeysOf } from './sinks/registry.js';
import { DEFAULT_MASK_KEYS } from './envelope.js';
import { isUserRegex } from '../core/user-regex.js';

export const SpoolConfigSchema = z.strictObject({
  max_bytes: size({ min: 64 * 1024 }).prefault('256M').describe('cap on the spool size on disk; beyond it the oldest events are dropped (counted, reported)'),
  segment_bytes: size({ min: 4096 }).optional().describe('segment file size (default max_bytes/32, 4K..32M)'),
  durability: z.enum(['fsync', 'write']).default('fsync').describe('fsync: an event is accepted once on disk (group commit); write: once handed to the kernel, fsync every fsync_interval'),
  fsync_interval: duration({ min: 10 }).prefault('1s').describe('background fsync period in write durability'),
  max_event_bytes: size({ min: 1024 }).prefault('1M').describe('largest event accepted'),
  checkpoint_interval: duration({ min: 10 }).prefault('1s').describe('how often sink positions are persisted (bounds duplicates after a crash)'),
}).refine((s) => s.segment_bytes === undefined || s.segment_bytes * 2 <= s.max_bytes, { message: 'segment_bytes must be at most half of max_bytes (drop-oldest removes whole segments)', path: ['segment_bytes'] })
  .describe('the durable on-disk spool');

export const ShippingConfigSchema = z.strictObject({
  host_name: z.string().optional().describe('host name to report (default: the system host name)'),
  fields: z.record(z.string(), z.string()).default({}).describe('custom fields added to every event (environment, team, ...)'),
  mask: z.strictObject({
    keys: z.array(z.string().refine(isUserRegex, 'not a valid regular expression (RE2 syntax)')).default([])
      .describe('extra key patterns (case-insensitive regular expressions) whose values are masked'),
    defaults: z.boolean().default(true).describe(`also mask the built-in patterns: ${DEFAULT_MASK_KEYS.join(', ')}`),
    replacement: z.string().default('***'),
  }).prefault({}).describe('masking of secret-looking fields before events are spooled'),
  spool: SpoolConfigSchema.prefault({}),
  agent_events: z.boolean().default(true).describe('publish drops, corruption and dead-letters as agent events'),
  sinks: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'sink names are letters, digits, _ and -'), z.discriminatedUnion('type', SINK_SCHEMAS))
    .refine((s) => Object.keys(s).length > 0, 'at least one sink')
    .describe('sinks by name; the name keys the sink\'s spool position and dead-letter file'),
}).transform((config) => {
  VALIDATED.add(config);
  return config;
}).describe('event shipping: spool and sinks');

/**
 * Configurations this schema produced. Parsing is not idempotent (a parsed duration is a
 * number of milliseconds; a number written by a user is seconds), so code handed an already
 * validated configuration must not parse it again.
 */
const VALIDATED = new WeakSet<object>();

export function isValidatedShippingConfig(config: unknown): config is ShippingConfig {
  return typeof config === 'object' && config !== null && VALIDATED.has(config);
}

export type ShippingConfig = z.output<typeof ShippingConfigSchema>;
export type ShippingConfigInput = z.input<typeof ShippingConfigSchema>;

export const SHIPPING_LEGACY_KEYS: LegacyKeys = {
  renamed: { hostName: 'host_name', agentEvents: 'agent_events' },
  inside: {
    spool: {
      renamed: {
        maxBytes: 'max_bytes', segmentBytes: 'segment_bytes', maxEventBytes: 'max_event_bytes',
        fsyncIntervalMs: { to: 'fsync_interval', convert: fromMilliseconds },
        checkpointIntervalMs: { to: 'checkpoint_interval', convert: fromMilliseconds },
      },
    },
    sinks: { each: sinkLegacyKeysOf },
  },
};

/**
 * The shipping section of a parsed file (the section itself, or an agent config's `shipping:`),
 * old keys rewritten with warnings, validated with every problem at file:line:column.
 */
export function shippingConfigFromYaml(yaml: YamlFile): { config: ShippingConfig; warnings: ConfigWarning[] } {
  const doc = yaml.value;
  const prefix = doc && typeof doc === 'object' && 'shipping' in doc ? ['shipping'] : [];
  const section = prefix.length ? (doc as { shipping: unknown }).shipping : doc;
  const migrated = migrateLegacyKeys(section, SHIPPING_LEGACY_KEYS, prefix);
  // paths here are whole-document paths; a renamed key is found where the old one was written
  const locate = (p: ReadonlyArray<PropertyKey>) => {
    const moved = migrated.warnings.find((w) => w.to.length && w.to.every((k, i) => p[i] === k));
    const pos = yaml.positionOf(moved ? [...moved.path, ...p.slice(moved.to.length)] : p);
    return { file: yaml.file, line: pos?.line, column: pos?.column };
  };
  const parsed = ShippingConfigSchema.safeParse(migrated.value);
  if (!parsed.success) {
    throw new ConfigErrors(issuesToErrorsAt(parsed.error.issues, locate, { prefix, value: migrated.value, make: (_c, m, ctx) => new ConfigError(m, ctx) }), 'shipping configuration');
  }
  return { config: parsed.data, warnings: migrated.warnings.map((w) => ({ message: w.message, ...locate(w.path) })) };
}
