/**
 * Delivery runner: the shared machinery between one sink and its spool cursor (Vector's sink
 * driver). It reads accepted records, skips kinds not routed to the sink, batches by count,
 * bytes and wait, sends up to `maxInFlight` batches at once, retries the events a sink marks
 * retryable with exponential backoff and full jitter (honouring Retry-After), writes the
 * events it marks rejected to the dead-letter file with the reason, and acknowledges spool
 * positions strictly in order (a batch finished early waits for the ones before it).
 * An event is only acknowledged once delivered or dead-lettered: retries go on forever, the
 * spool cap (drop oldest) is what bounds an outage.
 */
import { attachRawJson, type EventEnvelope } from './envelope.js';
import type { CursorPosition, Spool, SpoolReader, SpoolRecord } from './spool/spool.js';
import { SinkError, type EventOutcome, type Sink } from './sink.js';
import type { CommonSinkConfig } from './sink-options.js';
import type { DeadLetterFile } from './dead-letter.js';
import type { Redactor } from '../core/secret.js';
import { settledWithin } from '../core/settled-within.js';

export interface SinkStatus {
  sink: string;
  type: string;
  /** spooled records this sink has not acknowledged */
  depth: number;
  /** age in seconds of the oldest record it has not acknowledged */
  oldestAgeSeconds: number;
  delivered: number;
  retries: number;
  deadLettered: number;
  dropped: number;
  corrupt: number;
  inFlight: number;
  lastError: string | undefined;
  lastErrorTime: string | undefined;
}

interface Window {
  first: number;
  count: number;
  next: CursorPosition;
  done: boolean;
}

export class DeliveryRunner {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private readonly windows: Window[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** wakes every pending wait at stop (no Promise.race against a long-lived promise: that would leak a reaction per call) */
  private readonly wakers = new Set<() => void>();
  private readonly kinds: Set<string>;
  counters = { delivered: 0, retries: 0, deadLettered: 0 };
  lastError: string | undefined;
  lastErrorTime: string | undefined;

  constructor(
    private readonly sink: Sink,
    private readonly spool: Spool,
    private readonly reader: SpoolReader,
    private readonly cfg: CommonSinkConfig,
    private readonly deadLetter: DeadLetterFile,
    private readonly redactor: Redactor,
    private readonly log: (msg: string) => void,
    private readonly onDeadLetter: (count: number, reason: string) => void = () => {},
  ) {
    this.kinds = new Set(cfg.kinds);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** True when everything accepted so far is acknowledged. */
  get idle(): boolean {
    return !this.reader.hasUnread && this.inFlight.size === 0 && !this.collecting;
  }

  /** records have been read into a batch that is not yet sent */
  private collecting = false;

  private async run(): Promise<void> {
    while (!this.stopping) {
      if (this.inFlight.size >= this.cfg.max_in_flight) {
        await this.wait(Promise.race([...this.inFlight]), 60_000);
        continue;
      }
      const records = await this.collectBatch();
      if (this.stopping) break;
      if (records.length === 0) continue;
      const window: Window = { first: records[0]!.seq, count: records.length, next: records.at(-1)!.next, done: false };
      this.windows.push(window);
      const events: EventEnvelope[] = [];
      const unreadable: string[] = [];
      for (const r of records) {
        let e: EventEnvelope;
        const json = r.payload.toString('utf8');
        try { e = attachRawJson(JSON.parse(json) as EventEnvelope, json); } catch { unreadable.push(json); continue; }
        if (this.kinds.has(e.kind)) events.push(e);
      }
      const job = this.deliver(events, unreadable).then(() => {
        window.done = true;
        this.advance();
      }, (err: unknown) => {
        // abandoned (stopping) or an unexpected bug: the window stays unacknowledged and is re-sent after restart
        if (!this.stopping) this.noteError(`delivery failed: ${String(err)}`);
      });
      this.inFlight.add(job);
      void job.finally(() => this.inFlight.delete(job));
    }
  }

  /** Reads up to one batch, waiting up to maxWaitMs after the first record for it to fill. */
  private async collectBatch(): Promise<SpoolRecord[]> {
    const { max_events: maxEvents, max_bytes: maxBytes, max_wait: maxWaitMs } = this.cfg.batch;
    let records = this.reader.read(maxEvents, maxBytes);
    if (records.length === 0) {
      await this.wait(this.spool.waitForData(1000), 1000);
      records = this.reader.read(maxEvents, maxBytes);
      if (records.length === 0) return records;
    }
    this.collecting = true;
    try {
      return await this.fillBatch(records);
    } finally {
      this.collecting = false;
    }
  }

  private async fillBatch(records: SpoolRecord[]): Promise<SpoolRecord[]> {
    const { max_events: maxEvents, max_bytes: maxBytes, max_wait: maxWaitMs } = this.cfg.batch;
    const deadline = Date.now() + maxWaitMs;
    let bytes = records.reduce((n, r) => n + r.payload.length, 0);
    while (records.length < maxEvents && bytes < maxBytes && !this.stopping) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      if (!this.reader.hasUnread) await this.wait(this.spool.waitForData(left), left);
      const more = this.reader.read(maxEvents - records.length, maxBytes - bytes);
      for (const r of more) { records.push(r); bytes += r.payload.length; }
    }
    return records;
  }

  private advance(): void {
    while (this.windows.length > 0 && this.windows[0]!.done) {
      this.reader.ack(this.windows.shift()!.next);
    }
  }

  private async deliver(events: EventEnvelope[], unreadable: string[]): Promise<void> {
    if (unreadable.length) await this.writeDeadLetters(unreadable.map((event) => ({ event, reason: 'spooled record is not valid JSON' })));
    let pending = events;
    let attempt = 0;
    let singly = false;
    while (pending.length > 0) {
      if (this.stopping) throw new Error('stopping');
      let outcomes: EventOutcome[];
      if (singly) {
        outcomes = [];
        for (const e of pending) outcomes.push(...(await this.sendSafely([e])).map((o) => (o.status === 'retry' ? { ...o, alone: true } : o)));
      } else {
        outcomes = await this.sendSafely(pending);
      }
      singly = outcomes.some((o) => o.status === 'retry' && o.alone === true);
      const retry: EventEnvelope[] = [];
      const rejected: Array<{ event: EventEnvelope; reason: string }> = [];
      let retryAfter = 0;
      let retryReason = '';
      outcomes.forEach((o, i) => {
        const e = pending[i]!;
        if (o.status === 'delivered') this.counters.delivered++;
        else if (o.status === 'rejected') rejected.push({ event: e, reason: this.redactor.redact(o.reason) });
        else {
          retry.push(e);
          retryReason = o.reason;
          retryAfter = Math.max(retryAfter, o.retryAfterMs ?? 0);
        }
      });
      if (rejected.length) {
        await this.writeDeadLetters(rejected);
        this.counters.deadLettered += rejected.length;
        this.onDeadLetter(rejected.length, rejected[0]!.reason);
        this.noteError(`${rejected.length} event(s) rejected and dead-lettered: ${rejected[0]!.reason}`);
      }
      pending = retry;
      if (pending.length === 0) break;
      attempt++;
      this.counters.retries += pending.length;
      this.noteError(this.redactor.redact(retryReason));
      const delay = Math.min(10 * 60_000, Math.max(retryAfter, this.backoff(attempt)));
      await this.wait(undefined, delay);
    }
  }

  /** Resolves when `p` settles, after `ms`, or at stop, whichever comes first. */
  private wait(p: Promise<unknown> | undefined, ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => { clearTimeout(timer); this.wakers.delete(done); resolve(); };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
      p?.then(done, done);
    });
  }

  /** Dead letters are only acknowledged once written: a failing write (disk full) is retried. */
  private async writeDeadLetters(entries: Array<{ event: EventEnvelope | string; reason: string }>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deadLetter.write(entries);
        return;
      } catch (err) {
        if (this.stopping) throw err;
        this.noteError(`cannot write the dead-letter file ${this.deadLetter.file}: ${(err as Error).message}`);
        await this.wait(undefined, this.backoff(attempt));
      }
    }
  }

  private async sendSafely(events: EventEnvelope[]): Promise<EventOutcome[]> {
    try {
      const outcomes = await this.sink.send(events);
      if (outcomes.length !== events.length) throw new SinkError('sink_bug', `sink returned ${outcomes.length} outcomes for ${events.length} events`, { retryable: true });
      return outcomes;
    } catch (err) {
      const se = err instanceof SinkError ? err : new SinkError('sink_failed', err instanceof Error ? err.message : String(err), { retryable: true, cause: err });
      const reason = this.redactor.redact(se.message);
      return events.map(() => (se.retryable ? { status: 'retry', reason, retryAfterMs: se.retryAfterMs } : { status: 'rejected', reason }));
    }
  }

  /** Exponential backoff with full jitter: uniform in [d/2, d], d = initial·2^(attempt-1) capped. */
  private backoff(attempt: number): number {
    const d = Math.min(this.cfg.retry.max_delay, this.cfg.retry.initial_delay * 2 ** Math.min(attempt - 1, 30));
    return d / 2 + Math.random() * (d / 2);
  }

  private noteError(msg: string): void {
    const text = this.redactor.redact(msg);
    if (text !== this.lastError) this.log(`sink ${this.sink.name}: ${text}`);
    this.lastError = text;
    this.lastErrorTime = new Date().toISOString();
  }

  status(): SinkStatus {
    const t = this.spool.peekTime(this.reader.acked);
    return {
      sink: this.sink.name,
      type: this.sink.type,
      depth: this.reader.depth,
      oldestAgeSeconds: t === undefined ? 0 : Math.max(0, (Date.now() - t) / 1000),
      delivered: this.counters.delivered,
      retries: this.counters.retries,
      deadLettered: this.counters.deadLettered,
      dropped: this.reader.dropped,
      corrupt: this.reader.corrupt,
      inFlight: this.inFlight.size,
      lastError: this.lastError,
      lastErrorTime: this.lastErrorTime,
    };
  }

  /** Stops reading; in-flight batches are abandoned (re-sent after restart) unless they finish within graceMs. */
  async stop(graceMs = 0): Promise<void> {
    if (graceMs > 0 && this.inFlight.size > 0) {
      await settledWithin(this.inFlight, graceMs);
    }
    this.stopping = true;
    for (const wake of [...this.wakers]) wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    // abandoned batches are re-sent after restart, unless drop-oldest deleted their segment meanwhile
    const oldest = this.spool.segments[0]!.firstSeq;
    const lost = this.windows.filter((w) => !w.done && w.first < oldest).reduce((n, w) => n + Math.min(w.count, oldest - w.first), 0);
    if (lost > 0) {
      this.reader.dropped += lost;
      this.log(`sink ${this.sink.name}: ${lost} undelivered event(s) whose spool segment was dropped (spool full) are lost at stop`);
    }
    await this.sink.close();
  }
}
