/**
 * Runs queries in a worker process with a watchdog: each query gets a wall-time limit and a
 * row limit. Past the time limit the worker is killed and a fresh one is started for the next
 * query; the query fails with 'query_timeout'. Past the row limit the worker stops the
 * statement itself ('row_limit'). Queries run one at a time, in the order asked.
 *
 * Why a process and not a worker thread: better-sqlite3 is synchronous and exposes neither
 * sqlite3_interrupt nor a progress handler, and Worker.terminate() only stops a thread when it
 * next runs JavaScript. A statement that loops inside SQLite's own VM without calling a table
 * (`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c`)
 * never does: tried, the thread kept a core busy and held the process open after terminate().
 * SIGKILL stops a process whatever it is doing. The cost is one Node process (about 54 MB
 * RSS, 0.2-0.3 s to start) while queries run; it starts on the first query and stops after `idleMs` without one.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { SpyglassError } from '../../core/errors.js';
import type { QueryResult } from '../engine.js';
import type { ScheduledQueryStats } from '../runtime-info.js';
import type { WorkerRequest } from './query-worker.js';

export interface RunLimits {
  /** wall-time limit of one query, in milliseconds */
  timeoutMs: number;
  /** result rows allowed */
  maxRows: number;
}

/** The watchdog's limits when nothing else is configured: the scheduler's and a one-shot query's. */
export const DEFAULT_RUN_LIMITS: RunLimits = { timeoutMs: 60_000, maxRows: 100_000 };

/** How long a fresh worker may take to load (module loading, not query time). */
const WORKER_START_TIMEOUT_MS = 30_000;

type Reply = { ready: true } | { id: number; ok: true; result: QueryResult } | { id: number; ok: false; error: { code: string; message: string; context: Record<string, string | number | boolean | undefined> } };

export class QueryRunner {
  private worker: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = new Map<number, { resolve: (r: QueryResult) => void; reject: (e: Error) => void }>();
  /** workers started so far (1 + restarts after timeouts or crashes, and after idle stops) */
  workersStarted = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private running = 0;

  /**
   * @param idleMs the worker process is stopped after this long without a query (it costs
   *   about 54 MB while it lives; a query after that pays 0.2-0.3 s to start a new one)
   */
  constructor(private readonly root: string = '/', private readonly idleMs = 30_000) {}

  /** Runs one statement under the limits; queued behind any running one. */
  run(sql: string, limits: RunLimits, schedule?: ScheduledQueryStats[]): Promise<QueryResult> {
    this.running++;
    if (this.idleTimer) { clearTimeout(this.idleTimer); this.idleTimer = undefined; }
    const job = this.queue.then(() => this.runNow(sql, limits, schedule)).finally(() => {
      if (--this.running === 0 && this.worker) {
        this.idleTimer = setTimeout(() => { if (this.running === 0) void this.discardWorker(); }, this.idleMs);
        this.idleTimer.unref();
      }
    });
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** True while a worker process is alive. */
  get hasWorker(): boolean {
    return this.worker !== undefined;
  }

  private async runNow(sql: string, limits: RunLimits, schedule?: ScheduledQueryStats[]): Promise<QueryResult> {
    const worker = await this.startedWorker();
    const id = this.nextId++;
    return new Promise<QueryResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SpyglassError('query_timeout', `the query ran over its ${limits.timeoutMs} ms wall-time limit and was stopped`));
        void this.discardWorker();
      }, limits.timeoutMs);
      this.pending.set(id, {
        resolve: (r) => { clearTimeout(timer); resolve(r); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      const req: WorkerRequest = { id, sql, maxRows: limits.maxRows, schedule };
      worker.send(req);
    });
  }

  private startedWorker(): Promise<ChildProcess> {
    if (this.worker && this.ready) return this.ready.then(() => this.worker!);
    const worker = startWorker(this.root);
    this.worker = worker;
    this.workersStarted++;
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new SpyglassError('query_worker', 'the query worker did not start')), WORKER_START_TIMEOUT_MS);
      worker.on('message', (msg: Reply) => {
        if ('ready' in msg) { clearTimeout(timer); resolve(); return; }
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.result);
        else p.reject(new SpyglassError(msg.error.code, msg.error.message, msg.error.context));
      });
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
        for (const [id, p] of this.pending) { this.pending.delete(id); p.reject(new SpyglassError('query_worker', `the query worker stopped: ${err.message}`)); }
        if (this.worker === worker) { this.worker = undefined; this.ready = undefined; }
      };
      worker.on('error', fail);
      worker.on('exit', (code, signal) => fail(new Error(signal ? `killed by ${signal}` : `exit code ${code}`)));
    });
    return this.ready.then(() => worker);
  }

  private async discardWorker(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (w && w.exitCode === null && w.signalCode === null) {
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.kill('SIGKILL');
      await exited;
    }
  }

  /**
   * Stops the query that is running now (an interactive Ctrl-C): its promise rejects with
   * 'query_cancelled' and the worker is killed, so the next query gets a fresh one.
   */
  async cancel(): Promise<void> {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new SpyglassError('query_cancelled', 'the query was cancelled'));
    }
    await this.discardWorker();
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.queue;
    await this.discardWorker();
  }
}

/**
 * The worker module next to this one: query-worker.js when built, query-worker.ts from
 * source (tests run through tsx, which the child inherits through execArgv).
 */
function startWorker(root: string): ChildProcess {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const entry = new URL(`./query-worker${ext}`, import.meta.url);
  return fork(entry, [], {
    env: { ...process.env, SPYGLASS_QUERY_ROOT: root },
    serialization: 'advanced', // bigint and Buffer values cross intact
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}
