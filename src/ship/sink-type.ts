/**
 * The contract of a sink plugin: what `type:` it answers to, a one-line description, the schema
 * of its options (validated with no I/O) and the factory that builds it (the I/O step: reads
 * secrets and certificates). A sink lives in `sinks/<type>/` (index.ts, schema.ts,
 * index.test.ts, README.md) and is added to the list in sinks/registry.ts; the folder name,
 * the `type` in config and the registry key are the same string.
 */
import type { z } from 'zod';
import type { LegacyKeys } from '../core/legacy-keys.js';
import type { Sink } from './sink.js';
import type { SinkContext } from './sink-context.js';

export interface SinkType<S extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly description: string;
  /** the options, including `type: <literal>` and the shared CommonSinkShape */
  readonly schema: S;
  /** old spellings of its keys still read (with a warning) */
  readonly legacyKeys?: LegacyKeys;
  create(config: z.output<S>, ctx: SinkContext): Sink;
}

/** Declares a sink type (keeps the schema's own type for `create`). */
export function defineSinkType<S extends z.ZodType>(t: SinkType<S>): SinkType<S> {
  return t;
}
