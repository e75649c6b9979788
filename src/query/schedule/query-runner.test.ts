/** The watchdog runner: results cross the process boundary intact; timeouts kill; idle workers stop. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpyglassError } from '../../core/errors.js';
import { QueryRunner } from './query-runner.js';

const limits = { timeoutMs: 20_000, maxRows: 1000 };

test('results cross intact (bigint, blob, null); a runaway statement is killed and the next query gets a fresh worker', async () => {
  const runner = new QueryRunner('/', 60_000);
  try {
    const r = await runner.run("SELECT 9007199254740993 AS big, 42 AS small, x'00ff' AS blob, NULL AS nil, 'é' AS text", limits);
    assert.deepEqual(r.columns.map((c) => c.name), ['big', 'small', 'blob', 'nil', 'text']);
    assert.deepEqual(r.rows[0]!.slice(0, 2), [9007199254740993n, 42], 'a 64-bit integer keeps every digit; a small one is a number');
    assert.ok(Buffer.isBuffer(r.rows[0]![2]) && r.rows[0]![2].equals(Buffer.from([0, 255])));
    assert.equal(r.rows[0]![3], null);
    assert.equal(r.rows[0]![4], 'é');
    const started = Date.now();
    await assert.rejects(
      runner.run('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c', { ...limits, timeoutMs: 700 }),
      (err: unknown) => err instanceof SpyglassError && err.code === 'query_timeout',
    );
    assert.ok(Date.now() - started < 15_000, 'stopped soon after its 0.7 s limit');
    assert.deepEqual((await runner.run('SELECT 1 AS one', limits)).rows, [[1]]);
    assert.equal(runner.workersStarted, 2);
  } finally {
    await runner.close();
  }
});

test('the worker process stops after the idle time and starts again on demand', async () => {
  const runner = new QueryRunner('/', 300);
  try {
    await runner.run('SELECT 1', limits);
    assert.equal(runner.hasWorker, true);
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(runner.hasWorker, false, 'stopped while idle');
    assert.deepEqual((await runner.run('SELECT 2', limits)).rows, [[2]]);
    assert.equal(runner.workersStarted, 2);
  } finally {
    await runner.close();
  }
});
