/**
 * logstash: the `http` input (a JSON array of events per request; Logstash's json codec makes
 * one event per element; 429 when its pipeline is blocked) or the `tcp` input with the
 * json_lines codec (one JSON object per line, plain TCP or TLS).
 */
import { envelopeJson } from '../../envelope.js';
import type { EventEnvelope } from '../../envelope.js';
import { HttpTransport } from '../../http-transport.js';
import { resolveSecret } from '../../../core/secret.js';
import { allOutcomes, type EventOutcome, type Sink } from '../../sink.js';
import type { SinkContext } from '../../sink-context.js';
import { StreamTransport } from '../../stream-transport.js';
import { buildTlsOptions } from '../../../core/tls-options.js';
import { defineSinkType } from '../../sink-type.js';
import { LOGSTASH_LEGACY_KEYS, LogstashSchema, type LogstashConfig } from './schema.js';


export const logstashSinkType = defineSinkType({
  type: 'logstash',
  description: 'Logstash http input (JSON) or tcp input (json_lines)',
  schema: LogstashSchema,
  legacyKeys: LOGSTASH_LEGACY_KEYS,
  create: createLogstashSink,
});

function createLogstashSink(cfg: LogstashConfig, ctx: SinkContext): Sink {
  const tls = cfg.tls ? buildTlsOptions(cfg.tls, ctx.redactor, `sink ${ctx.name}`) : undefined;
  if (cfg.mode === 'tcp') {
    const stream = new StreamTransport({ sink: ctx.name, host: cfg.host!, port: cfg.port!, tls, timeoutMs: cfg.timeout });
    return {
      name: ctx.name,
      type: 'logstash',
      async send(events) {
        await stream.write(Buffer.from(events.map((e) => envelopeJson(e) + '\n').join('')));
        return allOutcomes(events.length, { status: 'delivered' });
      },
      close: () => stream.close(),
    };
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (cfg.auth) {
    const password = resolveSecret(cfg.auth.password, `sink ${ctx.name}: auth.password`, ctx.redactor);
    ctx.redactor.addBasic(cfg.auth.username, password);
    headers.authorization = 'Basic ' + Buffer.from(`${cfg.auth.username}:${password}`).toString('base64');
  }
  const http = new HttpTransport({ sink: ctx.name, endpoints: cfg.endpoints!, tls: tls ?? { rejectUnauthorized: true }, timeoutMs: cfg.timeout, compression: cfg.compression, headers, redactor: ctx.redactor, connections: cfg.max_in_flight + 1 });
  return {
    name: ctx.name,
    type: 'logstash',
    async send(events: EventEnvelope[]): Promise<EventOutcome[]> {
      const res = await http.send('POST', cfg.path, JSON.stringify(events));
      if (res.status >= 200 && res.status < 300) return allOutcomes(events.length, { status: 'delivered' });
      const reason = http.describe(res);
      if (res.status === 400 || res.status === 413 || res.status === 422) {
        return events.length > 1 ? allOutcomes(events.length, { status: 'retry', reason, alone: true, retryAfterMs: 1 }) : [{ status: 'rejected', reason }];
      }
      return allOutcomes(events.length, { status: 'retry', reason, retryAfterMs: http.retryAfter(res) });
    },
    close: () => http.close(),
  };
}
