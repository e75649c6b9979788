/**
 * elasticsearch (also OpenSearch): `_bulk` NDJSON. Every event is a `create` with the event's
 * own id as `_id`, so a re-delivered event answers 409 and counts as delivered (at-least-once
 * becomes exactly-once in the index). Index name from a date pattern of the event time
 * (`spyglass-%Y.%m.%d`) or a data stream (`create` is what data streams require). Basic or
 * API-key auth. Per-item results: 2xx and 409 delivered, 429 and 5xx retried (only those
 * items), anything else (400 mapping errors...) dead-lettered with the error type and reason.
 * A whole-request 429/5xx/network error retries the batch; 413 retries it one event at a time.
 */
import { envelopeJson, type EventEnvelope } from '../../envelope.js';
import { HttpTransport } from '../../http-transport.js';
import { resolveSecret } from '../../../core/secret.js';
import { allOutcomes, type EventOutcome, type Sink } from '../../sink.js';
import type { SinkContext } from '../../sink-context.js';
import { buildTlsOptions } from '../../../core/tls-options.js';
import { defineSinkType } from '../../sink-type.js';
import { ELASTICSEARCH_LEGACY_KEYS, ElasticsearchSchema, type ElasticsearchConfig } from './schema.js';


export const elasticsearchSinkType = defineSinkType({
  type: 'elasticsearch',
  description: 'Elasticsearch / OpenSearch _bulk, de-duplicated by event id',
  schema: ElasticsearchSchema,
  legacyKeys: ELASTICSEARCH_LEGACY_KEYS,
  create: createElasticsearchSink,
});

function createElasticsearchSink(cfg: ElasticsearchConfig, ctx: SinkContext): Sink {
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
  if (cfg.auth && 'username' in cfg.auth) {
    const password = resolveSecret(cfg.auth.password, `sink ${ctx.name}: auth.password`, ctx.redactor);
    ctx.redactor.addBasic(cfg.auth.username, password);
    headers.authorization = 'Basic ' + Buffer.from(`${cfg.auth.username}:${password}`).toString('base64');
  } else if (cfg.auth) {
    headers.authorization = 'ApiKey ' + resolveSecret(cfg.auth.api_key, `sink ${ctx.name}: auth.api_key`, ctx.redactor);
  }
  const http = new HttpTransport({
    sink: ctx.name, endpoints: cfg.endpoints, tls: buildTlsOptions(cfg.tls, ctx.redactor, `sink ${ctx.name}`),
    timeoutMs: cfg.timeout, compression: cfg.compression, headers, redactor: ctx.redactor, connections: cfg.max_in_flight + 1,
  });
  const bulkPath = '/_bulk' + (cfg.pipeline ? `?pipeline=${encodeURIComponent(cfg.pipeline)}` : '');

  return {
    name: ctx.name,
    type: 'elasticsearch',
    async send(events: EventEnvelope[]): Promise<EventOutcome[]> {
      const lines: string[] = [];
      for (const e of events) {
        lines.push(JSON.stringify({ create: { _index: cfg.data_stream ?? indexName(cfg.index, e.time), _id: e.id } }));
        lines.push(`{"@timestamp":${JSON.stringify(e.time)},${envelopeJson(e).slice(1)}`);
      }
      const res = await http.send('POST', bulkPath, lines.join('\n') + '\n');
      const reason = http.describe(res);
      if (res.status === 413) return allOutcomes(events.length, events.length > 1 ? { status: 'retry', reason, alone: true, retryAfterMs: 1 } : { status: 'rejected', reason });
      if (res.status !== 200) {
        if (res.status === 400) return events.length > 1 ? allOutcomes(events.length, { status: 'retry', reason, alone: true, retryAfterMs: 1 }) : [{ status: 'rejected', reason }];
        return allOutcomes(events.length, { status: 'retry', reason, retryAfterMs: http.retryAfter(res) });
      }
      let body: { errors?: boolean; items?: Array<Record<string, { status: number; error?: { type?: string; reason?: string } }>> };
      try { body = JSON.parse(res.body) as typeof body; } catch { return allOutcomes(events.length, { status: 'retry', reason: `unreadable _bulk response: ${reason}` }); }
      if (!body.errors) return allOutcomes(events.length, { status: 'delivered' });
      const items = body.items ?? [];
      return events.map((_, i): EventOutcome => {
        const item = items[i] ? Object.values(items[i]!)[0] : undefined;
        if (!item) return { status: 'retry', reason: 'no item result in the _bulk response' };
        const s = item.status;
        if ((s >= 200 && s < 300) || s === 409) return { status: 'delivered' };
        const why = `_bulk item ${s}${item.error ? `: ${item.error.type ?? ''} ${item.error.reason ?? ''}`.trimEnd() : ''}`;
        if (s === 429 || s >= 500) return { status: 'retry', reason: why };
        return { status: 'rejected', reason: why };
      });
    },
    close: () => http.close(),
  };
}

/** Expands %Y %m %d %H from an ISO time (UTC). */
export function indexName(pattern: string, isoTime: string): string {
  const t = new Date(isoTime);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return pattern.replace(/%([YmdH])/g, (_, c: string) => (c === 'Y' ? String(t.getUTCFullYear()) : c === 'm' ? p2(t.getUTCMonth() + 1) : c === 'd' ? p2(t.getUTCDate()) : p2(t.getUTCHours())));
}
