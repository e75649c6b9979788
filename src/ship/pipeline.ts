/**
 * The shipping pipeline: producers publish EventDrafts; each becomes an envelope, is spooled
 * durably, and one delivery runner per sink takes it from there.
 *
 *   const pipeline = await createPipeline(config, { stateDir: '/var/lib/spyglass' });
 *   pipeline.start();
 *   await pipeline.publish({ kind: 'audit', source: 'cis-debian', data: {...} });
 *   ...
 *   await pipeline.stop();
 *
 * Spool drops (`spool_dropped`), corruption (`spool_corrupt`, `spool_torn_tail`), a full disk
 * (`spool_write_failed`, `spool_checkpoint_failed`), unusable position files and stray entries
 * found at open (`spool_cursor_invalid`, `spool_stray_entries`) and dead-lettering
 * (`dead_lettered`, per sink) are published as `agent` events (at most one of each per 10 s,
 * with the counts), so the SIEM sees overload and rejections rather than silence.
 */
import path from 'node:path';
import type { EventDraft, EventPublisher } from '../core/event.js';
import { HostRoot } from '../core/host-root.js';
import { SpyglassError } from '../core/errors.js';
import { ConfigError, ConfigErrors } from '../core/config-error.js';
import { issuesToErrorsAt } from '../core/schema-issues.js';
import { ShippingConfigSchema, isValidatedShippingConfig, type ShippingConfig, type ShippingConfigInput } from './config.js';
import { DEFAULT_MASK_KEYS, EnvelopeBuilder } from './envelope.js';
import { resolveHostIdentity, type HostIdentity } from './host-identity.js';
import { Spool, type RecoveryReport } from './spool/spool.js';
import { spoolDir } from './state-dir.js';
import { DeliveryRunner, type SinkStatus } from './delivery.js';
import { DeadLetterFile } from './dead-letter.js';
import { Redactor } from '../core/secret.js';
import { createSink } from './sinks/registry.js';
import type { Sink } from './sink.js';

export interface PipelineOptions {
  stateDir: string;
  root?: HostRoot;
  /** where the pipeline's own log lines go (default stderr); secrets are already redacted */
  log?: (msg: string) => void;
  /** the configured host id and tags (agent config `host:`): the id overrides the machine id, the tags go into every envelope */
  host?: { id?: string; tags?: Record<string, string> };
  /** more secret values to mask in event data (the agent's own: profile source credentials, its environment); sink secrets are added when the sinks resolve them */
  secrets?: readonly string[];
  /** for tests: replace the sink a config entry builds */
  sinkOverride?: (name: string, sink: Sink) => Sink;
}

export interface PipelineStatus {
  host: { name: string; id: string; tags: Record<string, string> };
  spool: {
    dir: string; bytes: number; maxBytes: number; segments: number; headSeq: number; appended: number; droppedRecords: number; corruptRecords: number;
    /** events refused because the spool could not write (a full disk), and positions it could not persist */
    rejectedRecords: number; checkpointFailures: number;
    recovery: RecoveryReport;
  };
  sinks: SinkStatus[];
}

export interface ShippingPipeline extends EventPublisher {
  readonly host: HostIdentity;
  readonly spool: Spool;
  /** starts the sinks (publishing works before: events wait in the spool) */
  start(): void;
  /** waits until every sink has delivered everything accepted so far; false on timeout */
  flush(timeoutMs?: number): Promise<boolean>;
  /** stops the sinks (in-flight batches get graceMs to finish, else are re-sent next start) and closes the spool */
  stop(graceMs?: number): Promise<void>;
  status(): PipelineStatus;
}

/** Validates (if needed), builds the spool and sinks, and returns the pipeline (not yet started). */
export async function createPipeline(config: ShippingConfig | ShippingConfigInput, opts: PipelineOptions): Promise<ShippingPipeline> {
  const parsed = isValidatedShippingConfig(config) ? { success: true as const, data: config } : ShippingConfigSchema.safeParse(config);
  if (!parsed.success) {
    const make = (_code: string, message: string) => new ConfigError(message);
    throw new ConfigErrors(issuesToErrorsAt(parsed.error.issues, () => ({}), { value: config, make }), 'shipping configuration');
  }
  const cfg = parsed.data;
  const log = opts.log ?? ((m: string) => process.stderr.write(`spyglass ship: ${m}\n`));
  const redactor = new Redactor();
  for (const secret of opts.secrets ?? []) redactor.add(secret);
  const sinkNames = Object.keys(cfg.sinks);
  const sinks: Sink[] = [];
  try {
    for (const name of sinkNames) {
      const sink = createSink(cfg.sinks[name]!, { name, redactor, stateDir: opts.stateDir, log });
      sinks.push(opts.sinkOverride ? opts.sinkOverride(name, sink) : sink);
    }
  } catch (err) {
    await Promise.allSettled(sinks.map((s) => s.close()));
    if (err instanceof SpyglassError) throw new SpyglassError(err.code, redactor.redact(err.message), err.context, { cause: err });
    throw err;
  }
  const host = await resolveHostIdentity({ root: opts.root, stateDir: opts.stateDir, name: cfg.host_name, id: opts.host?.id, tags: opts.host?.tags });
  const envelopes = new EnvelopeBuilder({
    host, fields: cfg.fields, maskKeys: [...(cfg.mask.defaults ? DEFAULT_MASK_KEYS : []), ...cfg.mask.keys], maskReplacement: cfg.mask.replacement, secretValues: redactor,
  });
  const spool = await Spool.open({
    dir: spoolDir(opts.stateDir),
    maxBytes: cfg.spool.max_bytes,
    segmentBytes: cfg.spool.segment_bytes,
    durability: cfg.spool.durability,
    fsyncIntervalMs: cfg.spool.fsync_interval,
    maxRecordBytes: cfg.spool.max_event_bytes,
    cursors: sinkNames,
  });
  if (spool.recovery.tornBytes > 0) log(`spool recovery: truncated a torn tail of ${spool.recovery.tornBytes} bytes`);
  return new Pipeline(cfg, opts, log, redactor, host, envelopes, spool, sinks);
}

class Pipeline implements ShippingPipeline {
  private readonly runners: DeliveryRunner[];
  private checkpointTimer: NodeJS.Timeout | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  private readonly pendingReports = new Map<string, { count: number; detail: Record<string, unknown> }>();
  private stopped = false;

  constructor(
    private readonly cfg: ShippingConfig,
    opts: PipelineOptions,
    private readonly log: (m: string) => void,
    redactor: Redactor,
    readonly host: HostIdentity,
    private readonly envelopes: EnvelopeBuilder,
    readonly spool: Spool,
    sinks: Sink[],
  ) {
    const dlqDir = path.join(opts.stateDir, 'dead-letter');
    this.runners = sinks.map((sink) => {
      const dlq = new DeadLetterFile(dlqDir, sink.name);
      return new DeliveryRunner(sink, spool, spool.reader(sink.name), cfg.sinks[sink.name]!, dlq, redactor, log,
        (count, reason) => this.report(`dead_lettered:${sink.name}`, count, { sink: sink.name, file: dlq.file, reason }));
    });
    spool.on('drop', (d) => {
      this.log(`spool full: dropped the oldest segment ${d.segment} (${d.records} events; not yet delivered: ${JSON.stringify(d.lostPerCursor)})`);
      this.report('spool_dropped', Math.max(0, ...Object.values(d.lostPerCursor)), {}, { lost_per_sink: d.lostPerCursor });
    });
    spool.on('corrupt', (c) => {
      this.log(`spool: corrupt record in ${c.segment} at offset ${c.offset} skipped (sink ${c.cursor}, ${c.skippedRecords} events)`);
      this.report('spool_corrupt', c.skippedRecords, { sink: c.cursor, segment: c.segment });
    });
    // a full disk fails every write until space returns: log when it starts or changes, count every time
    let lastWriteFailure = '';
    spool.on('write_failed', (f) => {
      if (f.code !== lastWriteFailure) this.log(`spool: cannot write (${f.message}); events are refused until it can, nothing accepted is lost`);
      lastWriteFailure = f.code;
      this.report('spool_write_failed', f.records, { code: f.code, reason: f.message });
    });
    spool.on('write_recovered', () => { this.log('spool: writing again'); lastWriteFailure = ''; });
    let lastCheckpointFailure = '';
    spool.on('checkpoint_failed', (f) => {
      if (f.code !== lastCheckpointFailure) this.log(`spool: cannot persist the position of sink ${f.cursor} (${f.message}); kept in memory and retried`);
      lastCheckpointFailure = f.code;
      this.report('spool_checkpoint_failed', 1, { code: f.code, reason: f.message }, { failures_per_sink: { [f.cursor]: 1 } });
    });
    spool.on('checkpoint_recovered', () => { this.log('spool: sink positions persisted again'); lastCheckpointFailure = ''; });
    if (spool.recovery.tornBytes > 0) this.report('spool_torn_tail', 1, { bytes: spool.recovery.tornBytes });
    for (const c of spool.recovery.invalidCursors) {
      this.log(`spool: the position file of sink ${c.cursor}: ${c.reason}`);
      this.report(`spool_cursor_invalid:${c.cursor}`, 1, { sink: c.cursor, reason: c.reason });
    }
    if (spool.recovery.strays.length > 0) {
      this.log(`spool: ${spool.recovery.strays.join(', ')} named like segments but not regular files: moved aside, never read`);
      this.report('spool_stray_entries', spool.recovery.strays.length, { entries: spool.recovery.strays });
    }
  }

  /**
   * Queues an agent event about the spool; one per kind per 10 s, counts summed. `detail` keeps
   * the latest values; each map in `sums` (per-sink counts) is added up across the period.
   */
  private report(event: string, count: number, detail: Record<string, unknown>, sums: Record<string, Record<string, number>> = {}): void {
    if (!this.cfg.agent_events) return;
    const r = this.pendingReports.get(event) ?? { count: 0, detail };
    r.count += count;
    const summed: Record<string, Record<string, number>> = {};
    for (const [key, counts] of Object.entries(sums)) {
      const total = { ...(r.detail[key] as Record<string, number> | undefined) };
      for (const [name, n] of Object.entries(counts)) total[name] = (total[name] ?? 0) + n;
      summed[key] = total;
    }
    r.detail = { ...detail, ...summed };
    this.pendingReports.set(event, r);
    this.reportTimer ??= setTimeout(() => void this.flushReports(), 10_000);
    this.reportTimer.unref?.();
  }

  private async flushReports(): Promise<void> {
    this.reportTimer = undefined;
    const reports = [...this.pendingReports];
    this.pendingReports.clear();
    for (const [key, r] of reports) {
      const event = key.split(':')[0]!;
      await this.publish({ kind: 'agent', source: 'ship', data: { action: event, count: r.count, ...r.detail } }).catch(() => {});
    }
  }

  async publish(draft: EventDraft): Promise<void> {
    const envelope = this.envelopes.build(draft);
    await this.spool.append(JSON.stringify(envelope));
  }

  start(): void {
    for (const r of this.runners) r.start();
    this.checkpointTimer ??= setInterval(() => void this.spool.checkpoint().catch((err: unknown) => this.log(`spool checkpoint failed: ${String(err)}`)), this.cfg.spool.checkpoint_interval);
  }

  async flush(timeoutMs = 30_000): Promise<boolean> {
    if (this.pendingReports.size) await this.flushReports();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.runners.every((r) => r.idle)) {
        await this.spool.checkpoint();
        return true;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return false;
  }

  async stop(graceMs = 2000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.reportTimer) { clearTimeout(this.reportTimer); await this.flushReports(); }
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    await Promise.all(this.runners.map((r) => r.stop(graceMs)));
    await this.spool.close();
  }

  status(): PipelineStatus {
    const s = this.spool;
    return {
      host: { name: this.host.name, id: this.host.id, tags: this.host.tags },
      spool: { dir: s.dir, bytes: s.totalBytes(), maxBytes: s.maxBytes, segments: s.segments.length, headSeq: s.headSeq, appended: s.counters.appended, droppedRecords: s.counters.droppedRecords, corruptRecords: s.counters.corruptRecords,
        rejectedRecords: s.counters.rejectedRecords, checkpointFailures: s.counters.checkpointFailures, recovery: s.recovery },
      sinks: this.runners.map((r) => r.status()),
    };
  }
}
