/** Options every sink has: routing (which event kinds), batching, retry and concurrency. */
import { z } from 'zod';
import { EVENT_KINDS, type EventKind } from '../core/event.js';
import { duration, size } from '../core/config-values.js';
import { fromMilliseconds, type LegacyKeys } from '../core/legacy-keys.js';

// sinks take the list from here with the other common options
export { EVENT_KINDS };

export const BatchSchema = z.strictObject({
  max_events: z.number().int().min(1).max(100_000).default(500).describe('send when this many events are waiting'),
  max_bytes: size({ min: 1024 }).prefault('1M').describe('send when the events add up to this size (before compression)'),
  max_wait: duration({ min: 0, max: 600_000 }).prefault('1s').describe('send a partial batch after this long'),
}).describe('when a batch is sent: whichever limit comes first');

export const RetrySchema = z.strictObject({
  initial_delay: duration().prefault('500ms').describe('first retry delay'),
  max_delay: duration().prefault('60s').describe('longest delay between retries (a Retry-After from the server may ask for more, up to 10 minutes)'),
}).describe('retries (forever, the events stay in the spool) with exponential backoff and full jitter');

/** The shared part of every sink's config; each sink's schema extends it. */
export const CommonSinkShape = {
  kinds: z.array(z.enum(EVENT_KINDS)).min(1).default([...EVENT_KINDS]).describe('event kinds routed to this sink (default: all)'),
  batch: BatchSchema.prefault({}),
  retry: RetrySchema.prefault({}),
  max_in_flight: z.number().int().min(1).max(64).default(2).describe('batches sent concurrently'),
  timeout: duration({ min: 100 }).prefault('30s').describe('time limit of one request or write'),
};

/** The previous release's camelCase keys of the shared options. */
export const COMMON_SINK_LEGACY_KEYS: LegacyKeys = {
  renamed: { maxInFlight: 'max_in_flight', timeoutMs: { to: 'timeout', convert: fromMilliseconds } },
  inside: {
    batch: { renamed: { maxEvents: 'max_events', maxBytes: 'max_bytes', maxWaitMs: { to: 'max_wait', convert: fromMilliseconds } } },
    retry: { renamed: { initialMs: { to: 'initial_delay', convert: fromMilliseconds }, maxMs: { to: 'max_delay', convert: fromMilliseconds } } },
  },
};

/** A sink's legacy keys: the shared ones plus its own. */
export function sinkLegacyKeys(own: LegacyKeys = {}): LegacyKeys {
  return {
    renamed: { ...COMMON_SINK_LEGACY_KEYS.renamed, ...own.renamed },
    inside: { ...COMMON_SINK_LEGACY_KEYS.inside, ...own.inside },
  };
}

export type BatchConfig = z.output<typeof BatchSchema>;
export type RetryConfig = z.output<typeof RetrySchema>;
export interface CommonSinkConfig {
  kinds: EventKind[];
  batch: BatchConfig;
  retry: RetryConfig;
  /** batches in flight at once */
  max_in_flight: number;
  /** milliseconds */
  timeout: number;
}
