/** Options of the logstash sink (validated, no I/O). */
import { z } from 'zod';
import type { LegacyKeys } from '../../../core/legacy-keys.js';
import { SecretRefSchema } from '../../../core/secret.js';
import { TLS_LEGACY_KEYS, TlsSchema } from '../../../core/tls-options.js';
import { CommonSinkShape, sinkLegacyKeys } from '../../sink-options.js';

export const LogstashSchema = z.strictObject({
  type: z.literal('logstash'),
  mode: z.enum(['http', 'tcp']).describe('http input (JSON) or tcp input (json_lines)'),
  endpoints: z.array(z.url()).min(1).optional().describe('http mode: input URLs (failover order)'),
  path: z.string().default('/').describe('http mode: request path'),
  auth: z.strictObject({ username: z.string(), password: SecretRefSchema }).optional().describe('http mode: basic auth'),
  host: z.string().optional().describe('tcp mode: host'),
  port: z.number().int().min(1).max(65535).optional().describe('tcp mode: port'),
  tls: TlsSchema.optional().describe('TLS (tcp mode: present means TLS on)'),
  compression: z.enum(['gzip', 'none']).default('none'),
  ...CommonSinkShape,
}).refine((c) => (c.mode === 'http' ? !!c.endpoints : !!c.host && !!c.port), { message: 'http mode needs endpoints; tcp mode needs host and port' })
  .describe('Logstash http or tcp json_lines input');
export type LogstashConfig = z.output<typeof LogstashSchema>;

export const LOGSTASH_LEGACY_KEYS: LegacyKeys = sinkLegacyKeys({ inside: { tls: TLS_LEGACY_KEYS } });
