/**
 * The Sink contract. A sink turns a batch of event envelopes into one protocol exchange and
 * says, per event, what happened. Everything else (reading the spool, batching, routing,
 * retries with backoff, dead-lettering, acknowledging spool positions) is shared machinery
 * in delivery.ts, so a sink folder is mostly its encoder, its request and its response
 * classifier.
 *
 * Lifecycle: created by its factory from validated config (the build step: it may read files
 * and resolve secrets), `send` called by one delivery runner (several batches may be in flight
 * at once, up to the sink's `maxInFlight`), `close` once at stop.
 */
import type { EventEnvelope } from './envelope.js';
import { SpyglassError, type ErrorContext } from '../core/errors.js';

/** What happened to one event of a batch. */
export type EventOutcome =
  | { status: 'delivered' }
  /** try again later (network, 429, 5xx, not yet acknowledged); `alone`: re-send one event per request (to find a bad one) */
  | { status: 'retry'; reason: string; retryAfterMs?: number; alone?: boolean }
  /** the receiver will never take this event: it goes to the dead-letter file */
  | { status: 'rejected'; reason: string };

export interface Sink {
  readonly name: string;
  readonly type: string;
  /**
   * Sends the events; returns one outcome per event, in order. Throwing a SinkError (or any
   * error: treated as retryable) applies to the whole batch.
   */
  send(events: EventEnvelope[]): Promise<EventOutcome[]>;
  close(): Promise<void>;
}

/** A failure of a whole batch, retryable or permanent. */
export class SinkError extends SpyglassError {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, opts: { retryable: boolean; retryAfterMs?: number; context?: ErrorContext; cause?: unknown }) {
    super(code, message, opts.context ?? {}, { cause: opts.cause });
    this.name = 'SinkError';
    this.retryable = opts.retryable;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** Every event gets the same outcome. */
export function allOutcomes(n: number, outcome: EventOutcome): EventOutcome[] {
  return Array.from({ length: n }, () => outcome);
}

/** Parses an HTTP Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}
