/** Options of the syslog sink (validated, no I/O). */
import { z } from 'zod';
import { size } from '../../../core/config-values.js';
import type { LegacyKeys } from '../../../core/legacy-keys.js';
import { TLS_LEGACY_KEYS, TlsSchema } from '../../../core/tls-options.js';
import { CommonSinkShape, EVENT_KINDS, sinkLegacyKeys } from '../../sink-options.js';

export const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'] as const;
export const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

export const SyslogSchema = z.strictObject({
  type: z.literal('syslog'),
  host: z.string().describe('receiver host'),
  port: z.number().int().min(1).max(65535).default(514),
  transport: z.enum(['udp', 'tcp', 'tls']).default('udp'),
  format: z.enum(['rfc5424', 'rfc3164']).default('rfc5424'),
  framing: z.enum(['octet-counting', 'newline']).default('octet-counting').describe('tcp/tls framing'),
  facility: z.enum(FACILITIES).default('user'),
  severity: z.partialRecord(z.enum(EVENT_KINDS), z.enum(SEVERITIES)).default({}).describe('severity per event kind (default notice; agent: info)'),
  app_name: z.string().max(48).default('spyglass'),
  max_message_bytes: size({ min: 480 }).prefault('8K').describe('UDP messages are cut to this size'),
  tls: TlsSchema.optional().describe('tls transport options'),
  ...CommonSinkShape,
}).describe('syslog (RFC 5424 / RFC 3164) over UDP, TCP or TLS');
export type SyslogConfig = z.output<typeof SyslogSchema>;

export const SYSLOG_LEGACY_KEYS: LegacyKeys = sinkLegacyKeys({ renamed: { appName: 'app_name', maxMessageBytes: 'max_message_bytes' }, inside: { tls: TLS_LEGACY_KEYS } });
