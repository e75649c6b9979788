/** Options of the elasticsearch sink (validated, no I/O). */
import { z } from 'zod';
import type { LegacyKeys } from '../../../core/legacy-keys.js';
import { SecretRefSchema } from '../../../core/secret.js';
import { TLS_LEGACY_KEYS, TlsSchema } from '../../../core/tls-options.js';
import { CommonSinkShape, sinkLegacyKeys } from '../../sink-options.js';

export const ElasticsearchSchema = z.strictObject({
  type: z.literal('elasticsearch'),
  endpoints: z.array(z.url()).min(1).describe('cluster URLs, e.g. https://es-1:9200; later ones are failovers'),
  index: z.string().default('spyglass-%Y.%m.%d').describe('index name; %Y %m %d %H are replaced from the event time (UTC)'),
  data_stream: z.string().optional().describe('write to this data stream instead of `index` (e.g. logs-spyglass-default)'),
  pipeline: z.string().optional().describe('ingest pipeline'),
  auth: z.union([
    z.strictObject({ username: z.string(), password: SecretRefSchema }),
    z.strictObject({ api_key: SecretRefSchema.describe('base64 "id:key" API key as Elasticsearch prints it (encoded)') }),
  ]).optional().describe('basic or API-key authentication'),
  compression: z.enum(['gzip', 'none']).default('gzip'),
  tls: TlsSchema.optional(),
  ...CommonSinkShape,
}).describe('Elasticsearch / OpenSearch _bulk');
export type ElasticsearchConfig = z.output<typeof ElasticsearchSchema>;

export const ELASTICSEARCH_LEGACY_KEYS: LegacyKeys = sinkLegacyKeys({
  renamed: { dataStream: 'data_stream' },
  inside: { auth: { renamed: { apiKey: 'api_key' } }, tls: TLS_LEGACY_KEYS },
});
