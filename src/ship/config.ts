/**
 * The shipping configuration (the `shipping:` section of the agent config): spool, envelope
 * fields and masking, and the sinks by name. Strict: unknown keys are errors. Validation does
 * no I/O; createPipeline (pipeline.ts) builds.
 */
import { z } from 'zod';
import { SINK_SCHEMAS } from './sinks/registry.js';
import { DEFAULT_MASK_KEYS } from './envelope.js';

export const SpoolConfigSchema = z.strictObject({
  maxBytes: z.number().int().min(64 * 1024).default(256 << 20).describe('cap on the spool size on disk; beyond it the oldest events are dropped (counted, reported)'),
  segmentBytes: z.number().int().min(4096).optional().describe('segment file size (default maxBytes/32, 4 KiB..32 MiB)'),
  durability: z.enum(['fsync', 'write']).default('fsync').describe('fsync: an event is accepted once on disk (group commit); write: once handed to the kernel, fsync every fsyncIntervalMs'),
  fsyncIntervalMs: z.number().int().min(10).default(1000).describe('background fsync period in write durability'),
  maxEventBytes: z.number().int().min(1024).default(1 << 20).describe('largest event accepted'),
  checkpointIntervalMs: z.number().int().min(10).default(1000).describe('how often sink positions are persisted (bounds duplicates after a crash)'),
}).refine((s) => s.segmentBytes === undefined || s.segmentBytes * 2 <= s.maxBytes, { message: 'segmentBytes must be at most half of maxBytes (drop-oldest removes whole segments)', path: ['segmentBytes'] })
  .describe('the durable on-disk spool');

export const ShippingConfigSchema = z.strictObject({
  hostName: z.string().optional().describe('host name to report (default: the system host name)'),
  fields: z.record(z.string(), z.string()).default({}).describe('custom fields added to every event (environment, team, ...)'),
  mask: z.strictObject({
    keys: z.array(z.string().refine((s) => { try { new RegExp(s); return true; } catch { return false; } }, 'not a valid regular expression')).default([])
      .describe('extra key patterns (case-insensitive regular expressions) whose values are masked'),
    defaults: z.boolean().default(true).describe(`also mask the built-in patterns: ${DEFAULT_MASK_KEYS.join(', ')}`),
    replacement: z.string().default('***'),
  }).prefault({}).describe('masking of secret-looking fields before events are spooled'),
  spool: SpoolConfigSchema.prefault({}),
  agentEvents: z.boolean().default(true).describe('publish drops, corruption and dead-letters as agent events'),
  sinks: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'sink names are letters, digits, _ and -'), z.discriminatedUnion('type', [...SINK_SCHEMAS]))
    .refine((s) => Object.keys(s).length > 0, 'at least one sink')
    .describe('sinks by name; the name keys the sink\'s spool position and dead-letter file'),
}).describe('event shipping: spool and sinks');

export type ShippingConfig = z.infer<typeof ShippingConfigSchema>;
export type ShippingConfigInput = z.input<typeof ShippingConfigSchema>;
