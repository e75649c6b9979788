/** Options of the gelf sink (validated, no I/O). */
import { z } from 'zod';
import { size } from '../../../core/config-values.js';
import type { LegacyKeys } from '../../../core/legacy-keys.js';
import { TLS_LEGACY_KEYS, TlsSchema } from '../../../core/tls-options.js';
import { CommonSinkShape, sinkLegacyKeys } from '../../sink-options.js';

export const GelfSchema = z.strictObject({
  type: z.literal('gelf'),
  transport: z.enum(['udp', 'tcp', 'http']),
  host: z.string().optional().describe('udp/tcp: Graylog input host'),
  port: z.number().int().min(1).max(65535).optional().describe('udp/tcp: port (Graylog default 12201)'),
  endpoint: z.url().optional().describe('http: input URL, e.g. http://graylog:12201/gelf'),
  chunk_size: size({ min: 512, max: 65_000 }).prefault('8K').describe('udp: largest datagram'),
  compress: z.boolean().default(true).describe('udp: gzip each message'),
  tls: TlsSchema.optional().describe('tcp/http: TLS (tcp: present means TLS on)'),
  ...CommonSinkShape,
}).refine((c) => (c.transport === 'http' ? !!c.endpoint : !!c.host && !!c.port), { message: 'udp/tcp need host and port; http needs endpoint' })
  .describe('Graylog GELF');
export type GelfConfig = z.output<typeof GelfSchema>;

export const GELF_LEGACY_KEYS: LegacyKeys = sinkLegacyKeys({ renamed: { chunkSize: 'chunk_size' }, inside: { tls: TLS_LEGACY_KEYS } });
