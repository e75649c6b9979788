/**
 * Every sink type. To add a sink, make a folder `sinks/<type>/` (index.ts exporting a
 * SinkType, schema.ts, index.test.ts, README.md) and add it to SINK_TYPES; the folder name,
 * the `type` in config and the registry key are the same string.
 */
import type { z } from 'zod';
import type { LegacyKeys } from '../../core/legacy-keys.js';
import type { Sink } from '../sink.js';
import type { SinkContext } from '../sink-context.js';
import type { SinkType } from '../sink-type.js';
import { splunkHecSinkType } from './splunk_hec/index.js';
import { elasticsearchSinkType } from './elasticsearch/index.js';
import { logstashSinkType } from './logstash/index.js';
import { gelfSinkType } from './gelf/index.js';
import { syslogSinkType } from './syslog/index.js';
import { fileSinkType } from './file/index.js';
import { stdoutSinkType } from './stdout/index.js';

export const SINK_TYPES = [splunkHecSinkType, elasticsearchSinkType, logstashSinkType, gelfSinkType, syslogSinkType, fileSinkType, stdoutSinkType] as const;

type SinkSchema = (typeof SINK_TYPES)[number]['schema'];
/** The sink schemas, for the `type`-keyed union of the shipping config. */
export const SINK_SCHEMAS = SINK_TYPES.map((t) => t.schema) as unknown as [SinkSchema, ...SinkSchema[]];

export type SinkConfig = z.output<SinkSchema>;

export function sinkType(type: string): SinkType | undefined {
  return (SINK_TYPES as ReadonlyArray<SinkType>).find((t) => t.type === type);
}

/** The legacy keys of a sink entry, chosen by its `type`. */
export function sinkLegacyKeysOf(entry: unknown): LegacyKeys | undefined {
  const type = (entry as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? sinkType(type)?.legacyKeys : undefined;
}

/** Builds a sink (I/O: reads secrets and certificates). */
export function createSink(cfg: SinkConfig, ctx: SinkContext): Sink {
  const t = sinkType(cfg.type);
  if (!t) throw new Error(`no sink type ${cfg.type}`);
  return t.create(cfg as never, ctx);
}
