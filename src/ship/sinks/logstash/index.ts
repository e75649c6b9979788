/**
 * logstash: the `http` input (a JSON array of events per request; Logstash's json codec makes
 * one event per element; 429 when its pipeline is blocked) or the `tcp` input with the
 * json_lines codec (one JSON object per line, plain TCP or TLS).
 */
import { z } from 'zod';
import { envelopeJson } from '../../envelope.js';
import type { EventEnvelope } from '../../envelope.js';
import { HttpTransport } from '../../http-transport.js';
import { SecretRefSchema, resolveSecret } from '../../secret.js';
import { allOutcomes, type EventOutcome, type Sink } from '../../sink.js';
import type { SinkContext } from '../../sink-context.js';
import { CommonSinkShape } from '../../sink-options.js';
import { StreamTransport } from '../../stream-transport.js';
import { TlsSchema, buildTlsOptions } from '../../tls-options.js';

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
export type LogstashConfig = z.infer<typeof LogstashSchema>;

export function createLogstashSink(cfg: LogstashConfig, ctx: SinkContext): Sink {
  const tls = cfg.tls ? buildTlsOptions(cfg.tls, ctx.redactor, `sink ${ctx.name}`) : undefined;
  if (cfg.mode === 'tcp') {
    const stream = new StreamTransport({ sink: ctx.name, host: cfg.host!, port: cfg.port!, tls, timeoutMs: cfg.timeoutMs });
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
  const http = new HttpTransport({ sink: ctx.name, endpoints: cfg.endpoints!, tls: tls ?? { rejectUnauthorized: true }, timeoutMs: cfg.timeoutMs, compression: cfg.compression, headers, redactor: ctx.redactor, connections: cfg.maxInFlight + 1 });
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
