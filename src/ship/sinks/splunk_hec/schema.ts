/** Options of the splunk_hec sink (validated, no I/O). */
import { z } from 'zod';
import { duration } from '../../../core/config-values.js';
import { fromMilliseconds, type LegacyKeys } from '../../../core/legacy-keys.js';
import { SecretRefSchema } from '../../../core/secret.js';
import { TLS_LEGACY_KEYS, TlsSchema } from '../../../core/tls-options.js';
import { CommonSinkShape, EVENT_KINDS, sinkLegacyKeys } from '../../sink-options.js';

const MetaSchema = z.strictObject({
  index: z.string().optional().describe('Splunk index'),
  sourcetype: z.string().optional().describe('sourcetype'),
  source: z.string().optional().describe('source (default: spyglass:<kind>:<event source>)'),
});

export const SplunkHecSchema = z.strictObject({
  type: z.literal('splunk_hec'),
  endpoints: z.array(z.url()).min(1).describe('HEC base URLs, e.g. https://splunk-1:8088; later ones are failovers'),
  token: SecretRefSchema.describe('HEC token'),
  path: z.string().default('/services/collector/event').describe('event endpoint path'),
  index: z.string().optional().describe('default index (else the token\'s default)'),
  sourcetype: z.string().default('spyglass:event').describe('default sourcetype'),
  by_kind: z.partialRecord(z.enum(EVENT_KINDS), MetaSchema).default({}).describe('index/sourcetype/source per event kind'),
  indexed_fields: z.boolean().default(true).describe('send kind, host id, host tags and the custom fields as indexed `fields`'),
  compression: z.enum(['gzip', 'none']).default('gzip'),
  ack: z.strictObject({
    enabled: z.boolean().default(false).describe('use indexer acknowledgement (the token must have it on)'),
    poll_interval: duration({ min: 10 }).prefault('1s').describe('how often /services/collector/ack is polled'),
    timeout: duration({ min: 100 }).prefault('2m').describe('re-send a batch not acknowledged after this long'),
  }).prefault({}),
  channel: z.uuid().optional().describe('X-Splunk-Request-Channel (default: a new UUID per start)'),
  tls: TlsSchema.optional(),
  ...CommonSinkShape,
}).describe('Splunk HTTP Event Collector');
export type SplunkHecConfig = z.output<typeof SplunkHecSchema>;

export const SPLUNK_HEC_LEGACY_KEYS: LegacyKeys = sinkLegacyKeys({
  renamed: { byKind: 'by_kind', indexedFields: 'indexed_fields' },
  inside: {
    ack: { renamed: { pollIntervalMs: { to: 'poll_interval', convert: fromMilliseconds }, timeoutMs: { to: 'timeout', convert: fromMilliseconds } } },
    tls: TLS_LEGACY_KEYS,
  },
});
