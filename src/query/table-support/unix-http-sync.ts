/**
 * A synchronous HTTP GET over a UNIX socket, for tables that ask a local daemon (the Docker
 * Engine API) from inside a synchronous virtual-table scan. The request runs in a worker
 * thread; the calling thread sleeps on Atomics.wait until the worker writes the response
 * into shared memory, or the time limit passes. Nothing is spawned and only the local
 * socket is contacted.
 */
import { Worker } from 'node:worker_threads';

export interface SyncHttpResponse { status: number; body: string }

const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const http = require('node:http');
const { shared, socketPath, paths, timeoutMs, max } = workerData;
const flag = new Int32Array(shared, 0, 1);
const len = new Int32Array(shared, 4, 1);
const data = new Uint8Array(shared, 8);
function finish(obj) {
  let buf = Buffer.from(JSON.stringify(obj));
  if (buf.length > max) buf = Buffer.from(JSON.stringify({ error: 'response larger than ' + max + ' bytes' }));
  data.set(buf);
  len[0] = buf.length;
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
function get(path) {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path, headers: { Host: 'localhost' }, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out after ' + timeoutMs + ' ms')));
    req.on('error', reject);
  });
}
(async () => {
  const out = [];
  for (const p of paths) out.push(await get(p));
  return out;
})().then((responses) => finish({ responses }), (err) => finish({ error: err.message }));
`;

/**
 * GETs each path in turn over the socket and returns the responses, or throws with the
 * reason (connection refused, time limit, oversized answer).
 */
export function unixHttpGetSync(socketPath: string, paths: string[], timeoutMs = 5000): SyncHttpResponse[] {
  const shared = new SharedArrayBuffer(8 + MAX_RESPONSE_BYTES);
  const flag = new Int32Array(shared, 0, 1);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared, socketPath, paths, timeoutMs, max: MAX_RESPONSE_BYTES } });
  try {
    const outcome = Atomics.wait(flag, 0, 0, timeoutMs * paths.length + 2000);
    if (outcome === 'timed-out') throw new Error(`no answer from ${socketPath} within ${timeoutMs * paths.length + 2000} ms`);
    const n = new Int32Array(shared, 4, 1)[0]!;
    const result = JSON.parse(Buffer.from(new Uint8Array(shared, 8, n)).toString('utf8')) as { responses?: SyncHttpResponse[]; error?: string };
    if (result.error !== undefined) throw new Error(`${socketPath}: ${result.error}`);
    return result.responses!;
  } finally {
    void worker.terminate();
  }
}
