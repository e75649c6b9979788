/**
 * syslog: RFC 5424 or RFC 3164 (BSD) messages over UDP, TCP or TLS (RFC 5425). Stream
 * transports use octet-counted framing (RFC 6587 3.4.1: "LEN SP MSG") by default, or
 * newline-terminated frames for old receivers. The message text is the event envelope as JSON;
 * RFC 5424 messages also carry structured data [spyglass@32473 kind= source= id=].
 */
import os from 'node:os';
import { z } from 'zod';
import type { EventEnvelope } from '../../envelope.js';
import { allOutcomes, type Sink } from '../../sink.js';
import type { SinkContext } from '../../sink-context.js';
import { CommonSinkShape, EVENT_KINDS } from '../../sink-options.js';
import { DatagramTransport, StreamTransport } from '../../stream-transport.js';
import { TlsSchema, buildTlsOptions } from '../../tls-options.js';

const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'] as const;
const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

export const SyslogSchema = z.strictObject({
  type: z.literal('syslog'),
  host: z.string().describe('receiver host'),
  port: z.number().int().min(1).max(65535).default(514),
  transport: z.enum(['udp', 'tcp', 'tls']).default('udp'),
  format: z.enum(['rfc5424', 'rfc3164']).default('rfc5424'),
  framing: z.enum(['octet-counting', 'newline']).default('octet-counting').describe('tcp/tls framing'),
  facility: z.enum(FACILITIES).default('user'),
  severity: z.partialRecord(z.enum(EVENT_KINDS), z.enum(SEVERITIES)).default({}).describe('severity per event kind (default notice; agent: info)'),
  appName: z.string().max(48).default('spyglass'),
  maxMessageBytes: z.number().int().min(480).default(8192).describe('UDP messages are cut to this size'),
  tls: TlsSchema.optional().describe('tls transport options'),
  ...CommonSinkShape,
}).describe('syslog (RFC 5424 / RFC 3164) over UDP, TCP or TLS');
export type SyslogConfig = z.infer<typeof SyslogSchema>;

const SD_ID = 'spyglass@32473';

function sdEscape(v: string): string {
  return v.replace(/[\\"\]]/g, (c) => '\\' + c);
}

/** Formats one event as a syslog message (no framing). */
export function formatSyslog(e: EventEnvelope, cfg: Pick<SyslogConfig, 'format' | 'facility' | 'severity' | 'appName'>): string {
  const sev = cfg.severity[e.kind] ?? (e.kind === 'agent' ? 'info' : 'notice');
  const pri = FACILITIES.indexOf(cfg.facility) * 8 + SEVERITIES.indexOf(sev);
  const host = (e.host.name || os.hostname()).replace(/\s/g, '_');
  const msg = JSON.stringify(e);
  if (cfg.format === 'rfc3164') {
    const d = new Date(e.time);
    const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    const ts = `${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
    return `<${pri}>${ts} ${host} ${cfg.appName}[${process.pid}]: ${msg}`;
  }
  const sd = `[${SD_ID} kind="${e.kind}" source="${sdEscape(e.source)}" id="${e.id}"]`;
  return `<${pri}>1 ${e.time} ${host} ${cfg.appName} ${process.pid} ${e.kind} ${sd} ${msg}`;
}

export function createSyslogSink(cfg: SyslogConfig, ctx: SinkContext): Sink {
  if (cfg.transport === 'udp') {
    const udp = new DatagramTransport({ sink: ctx.name, host: cfg.host, port: cfg.port });
    return {
      name: ctx.name, type: 'syslog',
      async send(events) {
        await udp.send(events.map((e) => Buffer.from(formatSyslog(e, cfg)).subarray(0, cfg.maxMessageBytes)));
        return allOutcomes(events.length, { status: 'delivered' });
      },
      close: () => udp.close(),
    };
  }
  const tls = cfg.transport === 'tls' ? buildTlsOptions(cfg.tls, ctx.redactor, `sink ${ctx.name}`) : undefined;
  const stream = new StreamTransport({ sink: ctx.name, host: cfg.host, port: cfg.port, tls, timeoutMs: cfg.timeoutMs });
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
