/** Options every sink has: routing (which event kinds), batching, retry and concurrency. */
import { z } from 'zod';
import { EVENT_KINDS, type EventKind } from '../core/event.js';

// sinks take the list from here with the other common options
export { EVENT_KINDS };

export const BatchSchema = z.strictObject({
  maxEvents: z.number().int().min(1).max(100_000).default(500).describe('send when this many events are waiting'),
  maxBytes: z.number().int().min(1024).default(1 << 20).describe('send when the events add up to this many bytes (before compression)'),
  maxWaitMs: z.number().int().min(0).max(600_000).default(1000).describe('send a partial batch after this long'),
}).describe('when a batch is sent: whichever limit comes first');

export const RetrySchema = z.strictObject({
  initialMs: z.number().int().min(1).default(500).describe('first retry delay'),
  maxMs: z.number().int().min(1).default(60_000).describe('longest delay between retries (a Retry-After from the server may ask for more, up to 10 minutes)'),
}).describe('retries (forever, the events stay in the spool) with exponential backoff and full jitter');

/** The shared part of every sink's config; each sink's schema extends it. */
export const CommonSinkShape = {
  kinds: z.array(z.enum(EVENT_KINDS)).min(1).default([...EVENT_KINDS]).describe('event kinds routed to this sink (default: all)'),
  batch: BatchSchema.prefault({}),
  retry: RetrySchema.prefault({}),
  maxInFlight: z.number().int().min(1).max(64).default(2).describe('batches sent concurrently'),
  timeoutMs: z.number().int().min(100).default(30_000).describe('time limit of one request or write'),
};

export type BatchConfig = z.infer<typeof BatchSchema>;
export type RetryConfig = z.infer<typeof RetrySchema>;
export interface CommonSinkConfig {
  kinds: EventKind[];
  batch: BatchConfig;
  retry: RetryConfig;
  maxInFlight: number;
  timeoutMs: number;
}
