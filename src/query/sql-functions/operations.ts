/**
 * osquery's operation functions (sqlite_operations.cpp). `carve` is an aggregate that, with
 * osquery's default --carver_disable_function, answers "Carve Failed:" (osquery cuts its own
 * message to 13 characters); Spyglass has no carver, so that is its answer too. `sleep(n)`
 * blocks the query for n seconds and returns n (0 for a negative n), as osquery's does; a
 * scheduled query's watchdog still applies.
 */
import type Database from 'better-sqlite3';
import { argInt, type SqlArg } from './values.js';

const CARVE_REFUSED = 'Carve Failed:';

export function registerOperationFunctions(db: Database.Database): void {
  db.aggregate('carve', { start: () => null, step: (acc: null, _path: SqlArg) => acc, result: () => CARVE_REFUSED });
  db.function('sleep', { safeIntegers: true }, (v: SqlArg) => {
    const seconds = argInt(v);
    if (seconds < 0) return 0n;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
    return BigInt(seconds);
  });
}
