/**
 * The delivery conformance suite every sink runs: a batch is delivered, delivery resumes after
 * the receiver fails, a permanently rejected event is dead-lettered while the rest of its batch
 * is delivered, and nothing is lost when the pipeline stops mid-stream and starts again. Each
 * sink's test supplies a Receiver: a real server speaking that sink's protocol.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPipeline, type ShippingPipeline } from '../pipeline.js';

export interface Receiver {
  /** the sink's config (type and connection options) */
  sinkConfig: Record<string, unknown>;
  /** `data.i` of the events received so far (as strings), duplicates included */
  ids(): string[];
  /** make the next n requests / connections fail retryably */
  failNext(n: number): void;
  close(): Promise<void>;
}

export interface ReceiverFactory {
  name: string;
  start(): Promise<Receiver>;
  /** the receiver rejects events whose data.poison is true (protocols that can say so) */
  rejectsPoison: boolean;
  /** why a case is skipped for this sink */
  skip?: { retry?: string; deadLetter?: string };
}

const FAST = { batch: { max_events: 8, max_wait: '20ms' }, retry: { initial_delay: '20ms', max_delay: '200ms' }, timeout: '5000ms' };

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function withPipeline(factory: ReceiverFactory, body: (ctx: { rx: Receiver; stateDir: string; open: () => Promise<ShippingPipeline>; logs: string[] }) => Promise<void>): Promise<void> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-ship-'));
  const rx = await factory.start();
  const logs: string[] = [];
  const opened: ShippingPipeline[] = [];
  const open = async () => {
    const p = await createPipeline({ sinks: { out: { ...rx.sinkConfig, ...FAST } as never }, spool: { max_bytes: 1 << 20, checkpoint_interval: '50ms' } }, { stateDir, log: (m) => logs.push(m) });
    opened.push(p);
    return p;
  };
  // the receiver also gets the pipeline's own agent events (e.g. dead_lettered): count only the suite's events
  const suiteEvents: Receiver = { ...rx, ids: () => rx.ids().filter((k) => k !== 'undefined') };
  try {
    await body({ rx: suiteEvents, stateDir, open, logs });
  } finally {
    await Promise.allSettled(opened.map((p) => p.stop(0)));
    await rx.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

async function publishN(p: ShippingPipeline, n: number, poisonAt = -1, from = 0): Promise<string[]> {
  const keys: string[] = [];
  for (let i = from; i < from + n; i++) {
    await p.publish({ kind: 'audit', source: 'conformance', data: { i, poison: i === poisonAt } });
    keys.push(String(i));
  }
  return keys;
}

/** Registers the suite for one sink. */
export function runSinkConformance(factory: ReceiverFactory): void {
  test(`${factory.name}: a batch is delivered`, async () => {
    await withPipeline(factory, async ({ rx, open }) => {
      const p = await open();
      p.start();
      const ids = await publishN(p, 40);
      assert.equal(ids.length, 40);
      assert.ok(await p.flush(10_000), 'flushed');
      await until(() => new Set(rx.ids()).size >= 40, 5000, 'all events at the receiver');
      assert.deepEqual(new Set(rx.ids()), new Set(ids));
      const st = p.status().sinks[0]!;
      assert.equal(st.delivered, 40);
      assert.equal(st.depth, 0);
      await p.stop();
    });
  });

  test(`${factory.name}: delivery resumes after the receiver fails`, { skip: factory.skip?.retry }, async () => {
    await withPipeline(factory, async ({ rx, open }) => {
      const p = await open();
      rx.failNext(3);
      p.start();
      const ids = await publishN(p, 20);
      assert.ok(await p.flush(15_000), 'flushed');
      await until(() => new Set(rx.ids()).size >= 20, 5000, 'all events at the receiver');
      assert.deepEqual(new Set(rx.ids()), new Set(ids));
      const st = p.status().sinks[0]!;
      assert.ok(st.retries > 0, 'retries counted');
      assert.ok(st.lastError, 'last error reported');
      assert.equal(st.deadLettered, 0);
      await p.stop();
    });
  });

  test(`${factory.name}: a rejected event is dead-lettered, the rest of its batch delivered`, { skip: factory.rejectsPoison ? false : factory.skip?.deadLetter ?? 'the protocol cannot reject single events' }, async () => {
    await withPipeline(factory, async ({ rx, open, stateDir }) => {
      const p = await open();
      p.start();
      const ids = await publishN(p, 10, 4);
      assert.ok(await p.flush(15_000), 'flushed');
      const dlq = fs.readFileSync(path.join(stateDir, 'dead-letter/out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { reason: string; event: { id: string; data: { i: number } } });
      assert.equal(dlq.length, 1);
      assert.equal(dlq[0]!.event.data.i, 4);
      assert.ok(dlq[0]!.reason.length > 0);
      assert.match(dlq[0]!.event.id, /^[0-9a-f-]{36}$/);
      await until(() => new Set(rx.ids()).size >= 9, 5000, 'the other events at the receiver');
      assert.deepEqual(new Set(rx.ids()), new Set(ids.filter((k) => k !== '4')));
      assert.equal(p.status().sinks[0]!.deadLettered, 1);
      assert.ok(fs.readFileSync(path.join(stateDir, 'dead-letter/out.jsonl'), 'utf8').length > 0);
      await p.stop();
    });
  });

  test(`${factory.name}: nothing is lost when the pipeline stops mid-stream and starts again`, async () => {
    await withPipeline(factory, async ({ rx, open }) => {
      let p = await open();
      p.start();
      const ids = await publishN(p, 30);
      await p.stop(0);
      p = await open();
      p.start();
      assert.ok(await p.flush(15_000), 'flushed after restart');
      await until(() => new Set(rx.ids()).size >= 30, 5000, 'all events at the receiver');
      assert.deepEqual(new Set(rx.ids()), new Set(ids));
      await p.stop();
    });
  });
}
