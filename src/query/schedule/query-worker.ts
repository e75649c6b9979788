/**
 * The worker process that runs scheduled queries (see query-runner.ts for why a process and
 * not a thread). better-sqlite3 is synchronous: a runaway query blocks whatever runs it, so
 * the scheduler runs queries here and kills this process when the wall-time limit passes.
 *
 * Messages in: { id, sql, maxRows, schedule } ; out: { ready } once, then
 * { id, ok: true, result } or { id, ok: false, error: { code, message, context } }.
 */
import { HostRoot } from '../../core/host-root.js';
import { SpyglassError, toSpyglassError } from '../../core/errors.js';
import { QueryEngine } from '../engine.js';
import { setScheduleStats, type ScheduledQueryStats } from '../runtime-info.js';

export interface WorkerRequest {
  id: number;
  sql: string;
  maxRows?: number;
  schedule?: ScheduledQueryStats[];
}

const send = process.send?.bind(process);
if (!send) throw new SpyglassError('internal', 'query-worker runs only as a child process with an IPC channel');
const engine = new QueryEngine({ root: new HostRoot(process.env.SPYGLASS_QUERY_ROOT ?? '/') });
// the parent going away (even by kill -9) closes the channel: leave with it
process.on('disconnect', () => process.exit(0));

process.on('message', (req: WorkerRequest) => {
  void (async () => {
    try {
      if (req.schedule) setScheduleStats(req.schedule);
      const result = await engine.query(req.sql, { maxRows: req.maxRows });
      send({ id: req.id, ok: true, result });
    } catch (err) {
      const e = toSpyglassError(err, 'query_error');
      send({ id: req.id, ok: false, error: { code: e.code, message: e.message, context: e.context } });
    }
  })();
});
send({ ready: true });
