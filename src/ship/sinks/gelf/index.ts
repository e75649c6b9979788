/**
 * gelf: Graylog Extended Log Format 1.1 over UDP (gzip-compressed, chunked with the 0x1e 0x0f
 * magic, 12-byte chunk header, at most 128 chunks), TCP (each message ended by a NUL byte,
 * optionally TLS) or HTTP (one message per POST to /gelf, 202 Accepted). Envelope fields become
 * `_`-prefixed additional fields; nested data is flattened with `_` (GELF fields are flat).
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { EventEnvelope } from '../../envelope.js';
import { HttpTransport } from '../../http-transport.js';
import { SinkError, allOutcomes, type EventOutcome, type Sink } from '../../sink.js';
import type { SinkContext } from '../../sink-context.js';
import { DatagramTransport, StreamTransport } from '../../stream-transport.js';
import { buildTlsOptions } from '../../../core/tls-options.js';
import { defineSinkType } from '../../sink-type.js';
import { GELF_LEGACY_KEYS, GelfSchema, type GelfConfig } from './schema.js';


const LEVEL: Record<string, number> = { audit: 5, query: 6, fim: 5, vuln: 4, agent: 6 };

/** One GELF 1.1 message for an event. */
export function toGelf(e: EventEnvelope): Record<string, unknown> {
  const msg: Record<string, unknown> = {
    version: '1.1',
    host: e.host.name,
    short_message: `${e.kind} ${e.source}`,
    full_message: JSON.stringify(e.data),
    timestamp: Date.parse(e.time) / 1000,
    level: LEVEL[e.kind] ?? 6,
    _event_id: e.id,
    _kind: e.kind,
    _source: e.source,
    _host_id: e.host.id,
    _agent_version: e.agent.version,
  };
  for (const [k, v] of Object.entries(e.host.tags ?? {})) msg[`_host_tag_${safe(k)}`] = v;
  for (const [k, v] of Object.entries(e.fields)) msg[`_${safe(k)}`] = v;
  flatten(e.data, '_data', msg, 0);
  return msg;
}

function safe(k: string): string {
  return k.replace(/[^\w.-]/g, '_');
}

function flatten(v: unknown, prefix: string, out: Record<string, unknown>, depth: number): void {
  if (v === null || v === undefined) return;
  if (typeof v === 'object' && depth < 8) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(x, `${prefix}_${safe(k)}`, out, depth + 1);
    return;
  }
  out[prefix] = typeof v === 'number' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Splits one (compressed) message into GELF chunks. */
export function gelfChunks(message: Buffer, chunkSize: number): Buffer[] {
  if (message.length <= chunkSize) return [message];
  const body = chunkSize - 12;
  const count = Math.ceil(message.length / body);
  if (count > 128) throw new SinkError('gelf_too_large', `GELF message of ${message.length} bytes needs ${count} chunks (max 128)`, { retryable: false });
  const id = randomBytes(8);
  const chunks: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const part = message.subarray(i * body, (i + 1) * body);
    const head = Buffer.from([0x1e, 0x0f, 0, 0, 0, 0, 0, 0, 0, 0, i, count]);
    id.copy(head, 2);
    chunks.push(Buffer.concat([head, part]));
  }
  return chunks;
}

export const gelfSinkType = defineSinkType({
  type: 'gelf',
  description: 'Graylog GELF 1.1 over UDP (chunked), TCP or HTTP',
  schema: GelfSchema,
  legacyKeys: GELF_LEGACY_KEYS,
  create: createGelfSink,
});

function createGelfSink(cfg: GelfConfig, ctx: SinkContext): Sink {
  const tls = cfg.tls ? buildTlsOptions(cfg.tls, ctx.redactor, `sink ${ctx.name}`) : undefined;
  if (cfg.transport === 'udp') {
    const udp = new DatagramTransport({ sink: ctx.name, host: cfg.host!, port: cfg.port! });
    return {
      name: ctx.name, type: 'gelf',
      async send(events) {
        const outcomes: EventOutcome[] = [];
        const datagrams: Buffer[] = [];
        for (const e of events) {
          const raw = Buffer.from(JSON.stringify(toGelf(e)));
          try {
            datagrams.push(...gelfChunks(cfg.compress ? gzipSync(raw) : raw, cfg.chunk_size));
            outcomes.push({ status: 'delivered' });
          } catch (err) {
            outcomes.push({ status: 'rejected', reason: (err as Error).message });
          }
        }
        await udp.send(datagrams);
        return outcomes;
      },
      close: () => udp.close(),
    };
  }
  if (cfg.transport === 'tcp') {
    const stream = new StreamTransport({ sink: ctx.name, host: cfg.host!, port: cfg.port!, tls, timeoutMs: cfg.timeout });
    return {
      name: ctx.name, type: 'gelf',
      async send(events) {
        await stream.write(Buffer.concat(events.map((e) => Buffer.from(JSON.stringify(toGelf(e)) + '\0'))));
        return allOutcomes(events.length, { status: 'delivered' });
      },
      close: () => stream.close(),
    };
  }
  const http = new HttpTransport({ sink: ctx.name, endpoints: [cfg.endpoint!], tls: tls ?? { rejectUnauthorized: true }, timeoutMs: cfg.timeout, compression: 'none', headers: { 'content-type': 'application/json' }, redactor: ctx.redactor, connections: 4 });
  const url = new URL(cfg.endpoint!);
  return {
    name: ctx.name, type: 'gelf',
    async send(events) {
      const outcomes: EventOutcome[] = [];
      for (const e of events) {
        const res = await http.send('POST', url.pathname + url.search, JSON.stringify(toGelf(e)));
        if (res.status >= 200 && res.status < 300) outcomes.push({ status: 'delivered' });
        else if (res.status === 400) outcomes.push({ status: 'rejected', reason: http.describe(res) });
        else outcomes.push({ status: 'retry', reason: http.describe(res), retryAfterMs: http.retryAfter(res) });
      }
      return outcomes;
    },
    close: () => http.close(),
  };
}
