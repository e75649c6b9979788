/**
 * syslog: RFC 5424 or RFC 3164 (BSD) messages over UDP, TCP or TLS (RFC 5425). Stream
 * transports use octet-counted framing (RFC 6587 3.4.1: "LEN SP MSG") by default, or
 * newline-terminated frames for old receivers. The message text is the event envelope as JSON;
 * RFC 5424 messages also carry structured data [spyglass@32473 kind= source= id=].
 */
import os from 'node:os';
import type { EventEnvelope } from '../../envelope.js';
import { allOutcomes, type Sink } from '../../sink.js';
import type { SinkContext } from '../../sink-context.js';
import { DatagramTransport, StreamTransport } from '../../stream-transport.js';
import { buildTlsOptions } from '../../../core/tls-options.js';
import { defineSinkType } from '../../sink-type.js';
import { FACILITIES, SEVERITIES, SYSLOG_LEGACY_KEYS, SyslogSchema, type SyslogConfig } from './schema.js';


const SD_ID = 'spyglass@32473';

function sdEscape(v: string): string {
  return v.replace(/[\\"\]]/g, (c) => '\\' + c);
}

/** Formats one event as a syslog message (no framing). */
export function formatSyslog(e: EventEnvelope, cfg: Pick<SyslogConfig, 'format' | 'facility' | 'severity' | 'app_name'>): string {
  const sev = cfg.severity[e.kind] ?? (e.kind === 'agent' ? 'info' : 'notice');
  const pri = FACILITIES.indexOf(cfg.facility) * 8 + SEVERITIES.indexOf(sev);
  const host = (e.host.name || os.hostname()).replace(/\s/g, '_');
  const msg = JSON.stringify(e);
  if (cfg.format === 'rfc3164') {
    const d = new Date(e.time);
    const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    const ts = `${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
    return `<${pri}>${ts} ${host} ${cfg.app_name}[${process.pid}]: ${msg}`;
  }
  const sd = `[${SD_ID} kind="${e.kind}" source="${sdEscape(e.source)}" id="${e.id}"]`;
  return `<${pri}>1 ${e.time} ${host} ${cfg.app_name} ${process.pid} ${e.kind} ${sd} ${msg}`;
}

export const syslogSinkType = defineSinkType({
  type: 'syslog',
  description: 'syslog (RFC 5424 / RFC 3164) over UDP, TCP or TLS',
  schema: SyslogSchema,
  legacyKeys: SYSLOG_LEGACY_KEYS,
  create: createSyslogSink,
});

function createSyslogSink(cfg: SyslogConfig, ctx: SinkContext): Sink {
  if (cfg.transport === 'udp') {
    const udp = new DatagramTransport({ sink: ctx.name, host: cfg.host, port: cfg.port });
    return {
      name: ctx.name, type: 'syslog',
      async send(events) {
        await udp.send(events.map((e) => Buffer.from(formatSyslog(e, cfg)).subarray(0, cfg.max_message_bytes)));
        return allOutcomes(events.length, { status: 'delivered' });
      },
      close: () => udp.close(),
    };
  }
  const tls = cfg.transport === 'tls' ? buildTlsOptions(cfg.tls, ctx.redactor, `sink ${ctx.name}`) : undefined;
  const stream = new StreamTransport({ sink: ctx.name, host: cfg.host, port: cfg.port, tls, timeoutMs: cfg.timeout });
  return {
    name: ctx.name, type: 'syslog',
    async send(events) {
      const frames = events.map((e) => {
        const m = Buffer.from(formatSyslog(e, cfg));
        return cfg.framing === 'octet-counting' ? Buffer.concat([Buffer.from(`${m.length} `), m]) : Buffer.concat([m, Buffer.from('\n')]);
      });
      await stream.write(Buffer.concat(frames));
      return allOutcomes(events.length, { status: 'delivered' });
    },
    close: () => stream.close(),
  };
}
