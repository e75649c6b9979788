/**
 * splunk_hec: Splunk HTTP Event Collector. Events go to `/services/collector/event` as
 * concatenated JSON objects with `Authorization: Splunk <token>`; index, sourcetype and source
 * per event kind; indexed `fields`; several indexers with failover; optional indexer
 * acknowledgement (channel header, `/services/collector/ack` polling): with it an event counts
 * as delivered only when Splunk says it is indexed.
 *
 * HEC status codes (HTTP status, code, text) and what we do:
 *   200  0 Success                          delivered (or wait for the ack)
 *   200  body that is not a HEC reply       retry (a proxy or portal answered, not Splunk)
 *   403  1 Token disabled / 4 Invalid token   retry (configuration; reported in status)
 *   401  2 Token is required / 3 Invalid authorization  retry (configuration)
 *   400  5 No data                          retry
 *   400  6 Invalid data format / 7 Incorrect index / 12 Event field is required /
 *        13 Event field cannot be blank / 15 Error in handling indexed fields:
 *        with "invalid-event-number": N, events before N were taken (delivered), event N is
 *        dead-lettered with the reason, the rest are sent again; without it, a one-event batch
 *        is dead-lettered and a larger one is retried one event at a time
 *   400 10 Data channel is missing / 11 Invalid data channel / 14 ACK is disabled   retry (configuration)
 *   500  8 Internal server error, 503 9 Server is busy, 503 18+ HEC is unhealthy   retry, next indexer
 *   429  (load shedding) retry after Retry-After
 */
import { randomUUID } from 'node:crypto';
import { envelopeJson, type EventEnvelope } from '../../envelope.js';
import { HttpTransport, type HttpResponse } from '../../http-transport.js';
import { resolveSecret } from '../../../core/secret.js';
import { SinkError, allOutcomes, type EventOutcome, type Sink } from '../../sink.js';
import type { SinkContext } from '../../sink-context.js';
import { buildTlsOptions } from '../../../core/tls-options.js';
import { defineSinkType } from '../../sink-type.js';
import { SPLUNK_HEC_LEGACY_KEYS, SplunkHecSchema, type SplunkHecConfig } from './schema.js';


interface AckWait {
  resolve: (acked: boolean) => void;
  deadline: number;
}

export const splunkHecSinkType = defineSinkType({
  type: 'splunk_hec',
  description: 'Splunk HTTP Event Collector, with failover and indexer acknowledgement',
  schema: SplunkHecSchema,
  legacyKeys: SPLUNK_HEC_LEGACY_KEYS,
  create: (cfg: SplunkHecConfig, ctx: SinkContext): Sink => new SplunkHecSink(cfg, ctx),
});

class SplunkHecSink implements Sink {
  readonly type = 'splunk_hec';
  readonly name: string;
  private readonly http: HttpTransport;
  private readonly channel: string;
  /** pending acks per endpoint (ack ids belong to one indexer and channel) */
  private readonly acks = new Map<string, Map<number, AckWait>>();
  private poller: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(private readonly cfg: SplunkHecConfig, ctx: SinkContext) {
    this.name = ctx.name;
    const token = resolveSecret(cfg.token, `sink ${ctx.name}: token`, ctx.redactor);
    this.channel = cfg.channel ?? randomUUID();
    this.http = new HttpTransport({
      sink: ctx.name,
      endpoints: cfg.endpoints,
      tls: buildTlsOptions(cfg.tls, ctx.redactor, `sink ${ctx.name}`),
      timeoutMs: cfg.timeout,
      compression: cfg.compression,
      headers: { authorization: `Splunk ${token}`, 'content-type': 'application/json', 'x-splunk-request-channel': this.channel },
      redactor: ctx.redactor,
      connections: cfg.max_in_flight + 1,
    });
  }

  encode(e: EventEnvelope): string {
    const meta = this.cfg.by_kind[e.kind] ?? {};
    const obj: Record<string, unknown> = {
      time: Date.parse(e.time) / 1000,
      host: e.host.name,
      source: meta.source ?? `spyglass:${e.kind}:${e.source}`,
      sourcetype: meta.sourcetype ?? this.cfg.sourcetype,
    };
    const index = meta.index ?? this.cfg.index;
    if (index) obj.index = index;
    if (this.cfg.indexed_fields) obj.fields = { kind: e.kind, host_id: e.host.id, ...hostTagFields(e.host.tags), ...e.fields };
    // the envelope goes in as spooled, without serializing it again
    const head = JSON.stringify(obj);
    return `${head.slice(0, -1)},"event":${envelopeJson(e)}}`;
  }

  async send(events: EventEnvelope[]): Promise<EventOutcome[]> {
    const body = events.map((e) => this.encode(e)).join('\n');
    const res = await this.http.send('POST', this.cfg.path, body);
    const reply = parseHecReply(res.body);
    // Only HEC's own success reply acknowledges: a 200 with another body (a proxy's or a
    // captive portal's HTML page) did not reach an indexer, so the batch is retried.
    if (res.status === 200 && reply?.code === undefined) {
      return allOutcomes(events.length, { status: 'retry', reason: `${this.http.describe(res)} (not a HEC reply: the events are sent again)`, retryAfterMs: this.http.retryAfter(res) });
    }
    if (res.status === 200 && reply?.code === 0) {
      if (!this.cfg.ack.enabled) return allOutcomes(events.length, { status: 'delivered' });
      if (typeof reply?.ackId !== 'number') {
        throw new SinkError('hec_no_ack_id', this.http.describe(res) + ' (acknowledgement enabled here but the token has it off)', { retryable: true });
      }
      const acked = await this.waitForAck(res.endpoint, reply.ackId);
      return allOutcomes(events.length, acked ? { status: 'delivered' } : { status: 'retry', reason: `no indexer acknowledgement for ackId ${reply.ackId} within ${this.cfg.ack.timeout} ms` });
    }
    return this.classify(res, reply, events);
  }

  private classify(res: HttpResponse, reply: HecReply | undefined, events: EventEnvelope[]): EventOutcome[] {
    const reason = this.http.describe(res);
    const retry: EventOutcome = { status: 'retry', reason, retryAfterMs: this.http.retryAfter(res) };
    const code = reply?.code;
    const dataError = res.status === 400 && (code === 6 || code === 7 || code === 12 || code === 13 || code === 15);
    if (!dataError) return allOutcomes(events.length, retry);
    const bad = reply?.['invalid-event-number'];
    if (typeof bad === 'number' && bad >= 0 && bad < events.length) {
      return events.map((_, i) => (i < bad ? { status: 'delivered' } : i === bad ? { status: 'rejected', reason } : { status: 'retry', reason: 'sent again after an invalid event earlier in the batch' }));
    }
    if (events.length === 1) return [{ status: 'rejected', reason }];
    // cannot tell which event is bad: deliver one by one so only the bad one is dead-lettered
    return this.oneByOne(events, reason);
  }

  private oneByOne(events: EventEnvelope[], reason: string): EventOutcome[] {
    return events.map(() => ({ status: 'retry', reason: `${reason}; retrying events one by one`, alone: true, retryAfterMs: 1 }));
  }

  private waitForAck(endpoint: string, ackId: number): Promise<boolean> {
    let waits = this.acks.get(endpoint);
    if (!waits) this.acks.set(endpoint, (waits = new Map()));
    const w = waits;
    const p = new Promise<boolean>((resolve) => w.set(ackId, { resolve, deadline: Date.now() + this.cfg.ack.timeout }));
    this.poller ??= setInterval(() => void this.pollAcks(), this.cfg.ack.poll_interval);
    return p;
  }

  private async pollAcks(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const [endpoint, waits] of this.acks) {
        if (waits.size === 0) continue;
        const ids = [...waits.keys()];
        try {
          const res = await this.http.send('POST', `/services/collector/ack?channel=${this.channel}`, JSON.stringify({ acks: ids }), {}, { compress: false, endpoint });
          const body = JSON.parse(res.body) as { acks?: Record<string, boolean> };
          for (const id of ids) {
            if (body.acks?.[String(id)] === true) { waits.get(id)?.resolve(true); waits.delete(id); }
          }
        } catch { /* the indexer may be down: deadlines below decide */ }
        const now = Date.now();
        for (const [id, w] of waits) if (w.deadline <= now) { w.resolve(false); waits.delete(id); }
      }
      if ([...this.acks.values()].every((m) => m.size === 0) && this.poller) { clearInterval(this.poller); this.poller = undefined; }
    } finally {
      this.polling = false;
    }
  }

  async close(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
    for (const waits of this.acks.values()) for (const w of waits.values()) w.resolve(false);
    await this.http.close();
  }
}

/** host tags as indexed fields (flat strings, as HEC wants): host_tag_<name> */
function hostTagFields(tags: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags ?? {})) out[`host_tag_${k}`] = v;
  return out;
}

interface HecReply {
  text?: string;
  code?: number;
  ackId?: number;
  'invalid-event-number'?: number;
}

function parseHecReply(body: string): HecReply | undefined {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' ? (v as HecReply) : undefined;
  } catch {
    return undefined;
  }
}
